import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig as AppConfigValues } from './config.schema.js';

/** Typed, read-only access to the validated configuration. */
@Injectable()
export class AppConfig {
  constructor(@Inject(ConfigService) private readonly config: ConfigService<AppConfigValues, true>) {}

  get<K extends keyof AppConfigValues>(key: K): AppConfigValues[K] {
    return this.config.get(key, { infer: true });
  }

  /** The clinic's contact details, shown in fallbacks and crisis replies. */
  get clinic(): { name?: string; phone?: string; email?: string; url?: string; hours?: string } {
    return {
      name: this.get('CLINIC_NAME'),
      phone: this.get('CLINIC_PHONE'),
      email: this.get('CLINIC_EMAIL'),
      url: this.get('CLINIC_URL'),
      hours: this.get('CLINIC_HOURS'),
    };
  }
}
