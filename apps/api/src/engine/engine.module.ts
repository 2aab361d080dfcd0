import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SecretBox } from '../secrets/secret-box.js';
import { FlowsController } from '../flows/flows.controller.js';
import { FlowsService } from '../flows/flows.service.js';
import { FlowEventsGateway } from '../gateway/flow-events.gateway.js';
import { ProvenanceController } from '../provenance/provenance.controller.js';
import { ProvenanceService } from '../provenance/provenance.service.js';
import { ProvenanceViews } from '../provenance/provenance-views.js';
import { ScriptPool } from '../scripting/index.js';
import { ScriptChecks } from '../scripting/script-checks.js';
import { BulletinsController } from '../bulletins/bulletins.controller.js';
import { BulletinsService } from '../bulletins/bulletins.service.js';
import { ExecutionsController } from '../executions/executions.controller.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { FetchMissingService } from '../integration/fetch-missing.service.js';
import { IntegrationController } from '../integration/integration.controller.js';
import { IntegrationService } from '../integration/integration.service.js';
import { RetentionService } from '../retention/retention.service.js';
import { TemplatesController } from '../templates/templates.controller.js';
import { TestPaneRuntime } from '../test-panes/test-pane-runtime.js';
import { TestPanesController } from '../test-panes/test-panes.controller.js';
import { DurableTokenCache } from './durable-token.cache.js';
import { EngineEventsHub } from './engine-events.hub.js';
import { EngineController } from './engine.controller.js';
import { EngineService, HTTP_CLIENT, HTTP_SERVER, SCRIPT_CHECKS, SCRIPT_RUNNER } from './engine.service.js';
import { NodeHttpServer } from './node-http.server.js';
import { ControllerServiceTypesController, ProcessorTypesController } from './processor-types.controller.js';
import { UndiciHttpClient } from './undici-http.client.js';

@Module({
  imports: [AuthModule],
  providers: [
    EngineEventsHub,
    ProvenanceService,
    ProvenanceViews,
    ExecutionsService,
    EngineService,
    FlowsService,
    FetchMissingService,
    IntegrationService,
    FlowEventsGateway,
    TestPaneRuntime,
    RetentionService,
    BulletinsService,
    // Syntax checks use the flows' own runtimes: already warm, and a check goes ahead of queued runs.
    { provide: SCRIPT_CHECKS, inject: [SCRIPT_RUNNER], useFactory: (runner: ScriptPool) => new ScriptChecks(runner) },
    { provide: HTTP_CLIENT, useFactory: () => new UndiciHttpClient() },
    { provide: HTTP_SERVER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new NodeHttpServer(config.host) },
    { provide: DurableTokenCache, inject: [DataSource, SecretBox], useFactory: (ds: DataSource, box: SecretBox) => new DurableTokenCache(ds, box) },
    {
      provide: SCRIPT_RUNNER,
      inject: [APP_CONFIG, HTTP_CLIENT],
      useFactory: (config: AppConfig, http: UndiciHttpClient) => {
        const pool = new ScriptPool({ http });
        // Warm in the background: the first script request should not pay the Python cold start.
        if (config.scriptWarmUp) void pool.warmUp().catch(() => undefined);
        return pool;
      },
    },
  ],
  controllers: [FlowsController, EngineController, ProcessorTypesController, ControllerServiceTypesController, ProvenanceController, TestPanesController, ExecutionsController, IntegrationController, TemplatesController, BulletinsController],
  exports: [DurableTokenCache, EngineService, FlowsService, EngineEventsHub, ProvenanceService, ExecutionsService, IntegrationService, HTTP_CLIENT, SCRIPT_RUNNER],
})
export class EngineModule {}
