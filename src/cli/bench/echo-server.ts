/**
 * The bare socket.io server the end-to-end benchmark compares the project with: the same socket.io, the
 * same server options as src/realtime/io.adapter.ts (64 KB messages, no compression, connection-state
 * recovery, an allowRequest hook), one `/chat` namespace whose `message` event acknowledges its payload.
 * Usage: node dist/cli/bench/echo-server.js PORT
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 3999);
const http = createServer((req, res) => {
  res.writeHead(req.url === '/health/live' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
});
const io = new Server(http, {
  maxHttpBufferSize: 64 * 1024,
  perMessageDeflate: false,
  serveClient: false,
  allowRequest: (_req, callback) => callback(null, true),
  cors: { origin: (origin, cb) => cb(null, origin ? [origin] : false), credentials: false },
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
});
io.of('/chat').on('connection', (socket) => {
  socket.on('message', (payload: unknown, ack?: (reply: unknown) => void) => {
    if (typeof ack === 'function') ack(payload);
  });
});
http.listen(port, '127.0.0.1');
