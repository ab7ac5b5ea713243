import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp, listenAddress } from './bootstrap.js';
import { KnowledgeService } from './knowledge/knowledge.service.js';
import { projectRoot } from './paths.js';

// The demo clinic's example contact details, only where nothing says this is a real clinic.
const demoEnv = path.join(projectRoot, 'client/demo/demo.env');
if (!process.env.CLINIC_NAME && !existsSync(path.join(projectRoot, '.env')) && process.env.NODE_ENV !== 'production' && existsSync(demoEnv)) {
  process.loadEnvFile(demoEnv);
  Logger.warn('Demo clinic: example contact details from client/demo/demo.env (set CLINIC_* for a real clinic)', 'Bootstrap');
}

try {
  const app = await createApp();
  const { port, host } = listenAddress(app);
  await app.listen(port, host);
  // `kill -HUP <pid>` reloads the corpus, lexicons and reply texts; an invalid one is reported and the live one kept.
  process.on('SIGHUP', () => void app.get(KnowledgeService).reloadAll());
  const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  Logger.log(`Listening on ${base}`, 'Bootstrap');
  Logger.log(`Staff console: ${base}/console`, 'Bootstrap');
} catch (err) {
  // Configuration and corpus errors already say what to fix; print them without a stack trace.
  process.stderr.write(`\nStart-up failed:\n${(err as Error).message}\n`);
  process.exit(1);
}
