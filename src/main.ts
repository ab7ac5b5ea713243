import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp, listenAddress, shutDown } from './bootstrap.js';
import { KnowledgeService } from './knowledge/knowledge.service.js';
import { projectRoot } from './paths.js';

// The demo clinic's example contact details, only where nothing says this is a real clinic.
const demoEnv = path.join(projectRoot, 'client/demo/demo.env');
const demo =
  !process.env.CLINIC_NAME && !existsSync(path.join(projectRoot, '.env')) && process.env.NODE_ENV !== 'production' && existsSync(demoEnv);
if (demo) process.loadEnvFile(demoEnv);

try {
  const app = await createApp();
  if (demo) Logger.warn('Demo clinic: example contact details from client/demo/demo.env (set CLINIC_* for a real clinic)', 'Bootstrap');
  const { port, host } = listenAddress(app);
  await app.listen(port, host);
  // `kill -HUP <pid>` reloads the corpus, lexicons and reply texts; an invalid one is reported and the live one kept.
  process.on('SIGHUP', () => void app.get(KnowledgeService).reloadAll().then(() => Logger.log('SIGHUP: knowledge folder reloaded', 'Bootstrap')));
  // SIGTERM (process managers, containers) and SIGINT (Ctrl-C): finish the replies in flight, then close.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutDown(app, signal).then(
        () => Logger.log('Stopped', 'Bootstrap'),
        (err: Error) => {
          Logger.error(`Shutdown failed: ${err.message}`, 'Bootstrap');
          process.exitCode = 1;
        },
      );
    });
  }
  const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  Logger.log(`Listening on ${base}`, 'Bootstrap');
  Logger.log(`Staff console: ${base}/console`, 'Bootstrap');
} catch (err) {
  // Configuration and corpus errors already say what to fix; print them without a stack trace.
  process.stderr.write(`\nStart-up failed:\n${(err as Error).message}\n`);
  process.exit(1);
}
