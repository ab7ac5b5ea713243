import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';

/** Socket.io server options for every namespace: small messages, no compression (it multiplies memory). */
export class AppIoAdapter extends IoAdapter {
  constructor(app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions) {
    return super.createIOServer(port, {
      ...options,
      // 10,000 four-byte characters still fit, so an over-long message gets an error, not a disconnect.
      maxHttpBufferSize: 64 * 1024,
      perMessageDeflate: false,
      serveClient: false,
    } as ServerOptions);
  }
}
