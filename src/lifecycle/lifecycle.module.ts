import { Global, Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module.js';
import { GracefulShutdown } from './graceful-shutdown.js';
import { Lifecycle } from './lifecycle.js';

@Global()
@Module({ imports: [EscalationModule], providers: [Lifecycle, GracefulShutdown], exports: [Lifecycle, GracefulShutdown] })
export class LifecycleModule {}
