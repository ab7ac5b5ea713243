import { Module } from '@nestjs/common';
import { ChatModule } from './chat/chat.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { ConsoleModule } from './console/console.module.js';
import { EditorialModule } from './editorial/editorial.module.js';
import { EventsModule } from './events/events.module.js';
import { AppConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { StaffModule } from './staff/staff.module.js';
import { StorageModule } from './storage/storage.module.js';
import { WidgetModule } from './widget/widget.module.js';

// WidgetModule comes last: its catch-all route for demo files must not shadow the others.
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    EventsModule,
    ClusterModule,
    StorageModule,
    ChatModule,
    StaffModule,
    EditorialModule,
    InsightsModule,
    HealthModule,
    // Operations: graceful shutdown, the socket.io server's connection gate, Prometheus metrics.
    LifecycleModule,
    RealtimeModule,
    MetricsModule,
    ConsoleModule,
    WidgetModule,
  ],
})
export class AppModule {}
