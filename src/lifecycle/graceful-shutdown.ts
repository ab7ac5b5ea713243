import type { Server } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { OutboxWorker } from '../escalation/outbox.worker.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { Lifecycle } from './lifecycle.js';

/**
 * What SIGTERM and SIGINT do before the app closes (main.ts): stop accepting (readiness turns 503, the
 * listening socket closes, socket.io refuses new connections), let the replies being composed go out,
 * close the remaining connections (widgets reconnect, to another instance or to this one restarted),
 * wait for flags still being written, and give the outbox one last pass. Then Nest's own shutdown stops
 * the timers and closes the store. Each wait is bounded by SHUTDOWN_TIMEOUT_MS in all: whatever is not
 * done by then is still safe (flags and pages are in the store or the journal, replayed at start-up).
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    @Inject(Lifecycle) private readonly lifecycle: Lifecycle,
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(OutboxWorker) private readonly outbox: OutboxWorker,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async drain(signal: string): Promise<void> {
    const deadline = Date.now() + this.config.get('SHUTDOWN_TIMEOUT_MS');
    const within = <T>(work: Promise<T>) => beforeDeadline(work, deadline);
    this.lifecycle.startDraining();
    this.logger.log(`${signal}: shutting down; ${this.lifecycle.inFlight} request(s) in flight`);
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    // Stops listening; open keep-alive connections finish their request and close.
    server?.close();

    const idle = await within(this.lifecycle.idle());
    // Synchronously after `idle`: no request can start in between.
    this.realtime.disconnectAll();
    if (!idle) this.logger.warn(`${this.lifecycle.inFlight} request(s) still running at the deadline; connections closed anyway`);
    if (!(await within(this.escalation.settled()))) this.logger.warn('flags still being written at the deadline (kept in the journal if the store closes first)');
    if (!(await within(this.outbox.tick()))) this.logger.warn('the outbox pass did not finish in time; its pages stay queued');
    this.logger.log('drained: closing the store');
  }
}

/** True when `work` settled before the deadline. */
async function beforeDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
