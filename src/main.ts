import { Logger } from '@nestjs/common';
import { createApp, listenAddress } from './bootstrap.js';
import { KnowledgeService } from './knowledge/knowledge.service.js';

try {
  const app = await createApp();
  const { port, host } = listenAddress(app);
  await app.listen(port, host);
  // `kill -HUP <pid>` reloads the corpus, lexicons and reply texts; an invalid one is reported and the live one kept.
  process.on('SIGHUP', () => void app.get(KnowledgeService).reloadAll());
  Logger.log(`Listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`, 'Bootstrap');
} catch (err) {
  // Configuration and corpus errors already say what to fix; print them without a stack trace.
  process.stderr.write(`\nStart-up failed:\n${(err as Error).message}\n`);
  process.exit(1);
}
