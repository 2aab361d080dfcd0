import { Module } from '@nestjs/common';
import { EngineEventsModule } from '../engine/engine-events.module.js';
import { BulletinsService } from './bulletins.service.js';

/** Stores the engines' bulletins. Its route answers per flow, so BulletinsController is mounted by FlowsModule. */
@Module({ imports: [EngineEventsModule], providers: [BulletinsService], exports: [BulletinsService] })
export class BulletinsModule {}
