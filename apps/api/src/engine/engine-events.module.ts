import { Module } from '@nestjs/common';
import { EngineEventsHub } from './engine-events.hub.js';

/** The engines' event stream: below the engine, so executions, provenance and bulletins can listen without importing it. */
@Module({ providers: [EngineEventsHub], exports: [EngineEventsHub] })
export class EngineEventsModule {}
