import { Module } from '@nestjs/common';
import { ChatModule } from './chat/chat.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { ConsoleModule } from './console/console.module.js';
import { EditorialModule } from './editorial/editorial.module.js';
import { EventsModule } from './events/events.module.js';
import { AppConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { StaffModule } from './staff/staff.module.js';
import { StorageModule } from './storage/storage.module.js';
import { WidgetModule } from './widget/widget.module.js';

// WidgetModule comes last: its catch-all route for demo files must not shadow the others.
@Module({
  imports: [
    AppConfigModule,
    EventsModule,
    ClusterModule,
    StorageModule,
    ChatModule,
    StaffModule,
    EditorialModule,
    InsightsModule,
    HealthModule,
    ConsoleModule,
    WidgetModule,
  ],
})
export class AppModule {}
