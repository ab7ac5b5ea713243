import { Module } from '@nestjs/common';
import { Cluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';
import { ConversationsRepository } from './conversations.repository.js';
import { ConversationsService, MAX_TURNS } from './conversations.service.js';
import { SharedConversations } from './shared-conversations.js';

@Module({
  providers: [
    ConversationsService,
    ConversationsRepository,
    {
      // Several instances: conversations shared through Redis (loaded only then); one process: none.
      provide: SharedConversations,
      inject: [Cluster, AppConfig],
      useFactory: async (cluster: Cluster, config: AppConfig): Promise<SharedConversations | null> => {
        if (!cluster.shared) return null;
        const [{ RedisConversations }, { RedisCluster }] = await Promise.all([
          import('./redis-conversations.js'),
          import('../cluster/redis-cluster.js'),
        ]);
        if (!(cluster instanceof RedisCluster)) return null;
        return new RedisConversations(cluster.client, cluster, config.get('CONVERSATION_IDLE_MINUTES') * 60_000, MAX_TURNS);
      },
    },
  ],
  exports: [ConversationsService],
})
export class ConversationsModule {}
