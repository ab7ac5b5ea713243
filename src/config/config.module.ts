import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateConfig } from './config.schema.js';
import { AppConfig } from './app-config.js';

@Global()
@Module({
  imports: [ConfigModule.forRoot({ validate: validateConfig, cache: true })],
  providers: [AppConfig],
  exports: [AppConfig],
})
export class AppConfigModule {}
