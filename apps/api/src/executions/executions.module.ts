import { Module } from '@nestjs/common';
import { EngineEventsModule } from '../engine/engine-events.module.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsService } from './executions.service.js';

@Module({ imports: [EngineEventsModule], providers: [ExecutionsService], controllers: [ExecutionsController], exports: [ExecutionsService] })
export class ExecutionsModule {}
