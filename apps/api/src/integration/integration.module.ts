import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { OutboundHttpModule } from '../engine/outbound-http.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { FetchMissingService } from './fetch-missing.service.js';
import { IntegrationController } from './integration.controller.js';
import { IntegrationService } from './integration.service.js';

@Module({
  imports: [EngineModule, ExecutionsModule, OutboundHttpModule],
  providers: [FetchMissingService, IntegrationService],
  controllers: [IntegrationController],
  exports: [IntegrationService],
})
export class IntegrationModule {}
