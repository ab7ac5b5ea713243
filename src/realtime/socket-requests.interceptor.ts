import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Observable } from 'rxjs';
import type { Socket } from 'socket.io';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { Metrics } from '../metrics/metrics.js';

/**
 * Around every socket.io request (a visitor's message, a staff action): counts it as in flight, so a
 * graceful shutdown waits for its reply; times it for the latency histogram; and runs it in a logging
 * context tagged with the connection's id (`conn`), the socket.io counterpart of HTTP's request id.
 */
@Injectable()
export class SocketRequestInterceptor implements NestInterceptor {
  constructor(
    @Inject(Lifecycle) private readonly lifecycle: Lifecycle,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const socket = context.switchToWs().getClient<Socket>();
    const event = context.switchToWs().getPattern();
    const namespace = socket.nsp.name;
    const started = performance.now();
    this.lifecycle.begin();
    let ended = false;
    const done = () => {
      if (ended) return;
      ended = true;
      this.metrics.socketRequest(namespace, event, (performance.now() - started) / 1000);
      this.lifecycle.end();
    };
    return new Observable((subscriber) => {
      this.logger.runInContext(
        () =>
          next.handle().subscribe({
            next: (value) => subscriber.next(value),
            error: (err: unknown) => {
              done();
              subscriber.error(err);
            },
            complete: () => {
              done();
              subscriber.complete();
            },
          }),
        { bindings: { conn: socket.id } },
      );
      // Not unsubscribed when the client disconnects: the handler runs on (a crisis message is still
      // flagged), and stays counted as in flight until it ends.
    });
  }
}
