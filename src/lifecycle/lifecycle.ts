import { Injectable } from '@nestjs/common';

/**
 * The process's state for graceful shutdown: whether it is draining (readiness then says no, new
 * connections are refused) and how many socket requests are being handled right now.
 */
@Injectable()
export class Lifecycle {
  private isDraining = false;
  private active = 0;
  private waiters: Array<() => void> = [];

  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    this.isDraining = true;
  }

  /** Socket requests (messages, staff actions) being handled now. */
  get inFlight(): number {
    return this.active;
  }

  begin(): void {
    this.active++;
  }

  end(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * Resolves at a moment when no request is being handled. A request starts only from a socket read (a
   * new macrotask), so whoever awaits this can close the sockets before any other request starts.
   */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
