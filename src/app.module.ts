import { Module } from '@nestjs/common';
import { ChatModule } from './chat/chat.module.js';
import { AppConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';

@Module({ imports: [AppConfigModule, ChatModule, HealthModule] })
export class AppModule {}
