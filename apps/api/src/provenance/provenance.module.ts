import { Module } from '@nestjs/common';
import { EngineEventsModule } from '../engine/engine-events.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { ProvenanceController } from './provenance.controller.js';
import { ProvenanceService } from './provenance.service.js';
import { ProvenanceViews } from './provenance-views.js';

@Module({
  imports: [EngineEventsModule, ExecutionsModule],
  providers: [ProvenanceService, ProvenanceViews],
  controllers: [ProvenanceController],
  exports: [ProvenanceService],
})
export class ProvenanceModule {}
