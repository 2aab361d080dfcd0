import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import type { AppConfig } from './config/app-config.js';
import { EngineModule } from './engine/engine.module.js';
import { HealthController } from './health.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PersistenceModule } from './persistence/persistence.module.js';
import { SecretRegistry } from './secrets/secret-registry.js';
import { SettingsController } from './settings/settings.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, secrets = new SecretRegistry()): DynamicModule {
    return {
      module: AppModule,
      imports: [PersistenceModule.forRoot(config, secrets), ScheduleModule.forRoot(), AuthModule, EngineModule, ClusterModule, MetricsModule],
      controllers: [HealthController, SettingsController],
    };
  }
}
