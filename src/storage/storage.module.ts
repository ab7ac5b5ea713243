import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { StorageService } from './storage.service.js';

@Global()
@Module({ providers: [StorageService], exports: [StorageService] })
export class StorageModule implements OnModuleInit {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async onModuleInit(): Promise<void> {
    await this.storage.migrate();
  }
}
