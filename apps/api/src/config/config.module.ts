import { type DynamicModule, Global, Module } from '@nestjs/common';
import { SecretBox } from '../secrets/secret-box.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { APP_CONFIG, type AppConfig } from './app-config.js';

/** The process's configuration and the secrets derived from it: read everywhere, so global. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, secrets = new SecretRegistry()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.secretKey) },
        { provide: SecretRegistry, useValue: secrets },
      ],
      exports: [APP_CONFIG, SecretBox, SecretRegistry],
    };
  }
}
