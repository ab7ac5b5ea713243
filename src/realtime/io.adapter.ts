import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';
import { Cluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectionGate } from './connection-gate.js';
import { requestOriginAllowed } from './origins.js';
import { RealtimeServer } from './realtime-server.js';

/**
 * Socket.io server options for every namespace: small messages, no compression (it multiplies
 * memory), an origin check on every connection, and connection-state recovery so a widget that drops
 * for a moment gets what it missed (the widget also resyncs with `resume`, since recovery is best-effort).
 */
export class AppIoAdapter extends IoAdapter {
  private readonly allowList: string[];
  // Operations (ops): per-address connection limits, refusal while shutting down, counts and shutdown.
  private readonly gate: ConnectionGate;
  private readonly realtime: RealtimeServer;
  private readonly cluster: Cluster;

  constructor(app: INestApplicationContext) {
    super(app);
    this.allowList = app.get(AppConfig).get('ALLOWED_ORIGINS');
    this.gate = app.get(ConnectionGate);
    this.realtime = app.get(RealtimeServer);
    this.cluster = app.get(Cluster);
  }

  override createIOServer(port: number, options?: ServerOptions) {
    const server = super.createIOServer(port, {
      ...options,
      // 10,000 four-byte characters still fit, so an over-long message gets an error, not a disconnect.
      maxHttpBufferSize: 64 * 1024,
      perMessageDeflate: false,
      serveClient: false,
      allowRequest: (req, callback) => {
        const refusal = requestOriginAllowed(req, this.allowList) ? this.gate.refusal(req) : 'origin not allowed';
        callback(refusal, refusal === null);
      },
      cors: { origin: (origin, cb) => cb(null, origin ? [origin] : false), credentials: false },
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    } as ServerOptions);
    this.gate.watch(server);
    this.realtime.attach(server);
    // Several instances (REDIS_URL): the Redis streams adapter carries broadcasts to every instance and keeps
    // recovered sessions in Redis, so a widget that reconnects to another instance still recovers.
    const adapter = this.cluster.socketAdapter();
    if (adapter) server.adapter(adapter as Parameters<typeof server.adapter>[0]);
    return server;
  }
}
