import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { StaffAuthGuard } from './api-auth.js';
import { AuthController } from './auth.controller.js';
import { LoginThrottle } from './login-throttle.js';
import { StaffApiController } from './staff-api.controller.js';
import { StaffGateway } from './staff.gateway.js';
import { StaffService } from './staff.service.js';

@Module({
  imports: [ChatModule, EscalationModule],
  controllers: [AuthController, StaffApiController],
  providers: [StaffService, StaffGateway, LoginThrottle, StaffAuthGuard],
  exports: [StaffService, StaffAuthGuard],
})
export class StaffModule {}
