import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { LiveEvents } from '../events/live-events.js';
import { Cluster, LocalCluster } from './cluster.js';

/**
 * The deployment's shared state (see Cluster): Redis when REDIS_URL is set, loaded only then; otherwise
 * this one process, in memory.
 */
@Global()
@Module({
  providers: [
    {
      provide: Cluster,
      inject: [AppConfig, LiveEvents],
      useFactory: async (config: AppConfig, events: LiveEvents): Promise<Cluster> => {
        const url = config.get('REDIS_URL');
        if (!url) return new LocalCluster();
        const { RedisCluster } = await import('./redis-cluster.js');
        return RedisCluster.connect(url, events);
      },
    },
  ],
  exports: [Cluster],
})
export class ClusterModule {}
