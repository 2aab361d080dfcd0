import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { BulletinsModule } from './bulletins/bulletins.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { EngineModule } from './engine/engine.module.js';
import { ExecutionsModule } from './executions/executions.module.js';
import { FlowsModule } from './flows/flows.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { HealthController } from './health.controller.js';
import { IntegrationModule } from './integration/integration.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PersistenceModule } from './persistence/persistence.module.js';
import { ProvenanceModule } from './provenance/provenance.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { ScriptingModule } from './scripting/scripting.module.js';
import { SecretRegistry } from './secrets/secret-registry.js';
import { SettingsModule } from './settings/settings.module.js';
import { TemplatesModule } from './templates/templates.module.js';
import { TestPanesModule } from './test-panes/test-panes.module.js';

/** The feature modules that make up the API, in import order; ARCHITECTURE.md ("The API's modules") draws the graph. */
export const FEATURE_MODULES = [
  AuthModule,
  ScriptingModule,
  ExecutionsModule,
  ProvenanceModule,
  BulletinsModule,
  TestPanesModule,
  EngineModule,
  FlowsModule,
  TemplatesModule,
  IntegrationModule,
  RetentionModule,
  GatewayModule,
  ClusterModule,
  MetricsModule,
  SettingsModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, secrets = new SecretRegistry()): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, secrets), PersistenceModule.forRoot(config), ScheduleModule.forRoot(), ...FEATURE_MODULES],
      controllers: [HealthController],
    };
  }
}
