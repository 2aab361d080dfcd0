import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { RetentionService } from './retention.service.js';

@Module({ imports: [EngineModule], providers: [RetentionService] })
export class RetentionModule {}
