import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { ScriptingModule } from '../scripting/scripting.module.js';
import { SecretBox } from '../secrets/secret-box.js';
import { DurableTokenCache } from './durable-token.cache.js';
import { EngineEventsModule } from './engine-events.module.js';
import { EngineService } from './engine.service.js';
import { HTTP_SERVER, NodeHttpServer } from './node-http.server.js';
import { OutboundHttpModule } from './outbound-http.module.js';
import { ControllerServiceTypesController, ProcessorTypesController } from './processor-types.controller.js';
import { REGEX_ENGINE, RegexWorkers } from './regex-workers.js';

/** The running engines and the adapters they are built with; the flow routes that drive them live in FlowsModule. */
@Module({
  imports: [EngineEventsModule, OutboundHttpModule, ScriptingModule, ExecutionsModule, ProvenanceModule],
  providers: [
    EngineService,
    { provide: REGEX_ENGINE, useClass: RegexWorkers },
    { provide: HTTP_SERVER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new NodeHttpServer(config.host) },
    { provide: DurableTokenCache, inject: [DataSource, SecretBox], useFactory: (ds: DataSource, box: SecretBox) => new DurableTokenCache(ds, box) },
  ],
  controllers: [ProcessorTypesController, ControllerServiceTypesController],
  exports: [EngineService, DurableTokenCache],
})
export class EngineModule {}
