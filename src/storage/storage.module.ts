import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { Journal } from './journal.js';
import { StorageService } from './storage.service.js';

@Global()
@Module({ providers: [StorageService, Journal], exports: [StorageService, Journal] })
export class StorageModule implements OnModuleInit {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async onModuleInit(): Promise<void> {
    await this.storage.migrate();
  }
}
