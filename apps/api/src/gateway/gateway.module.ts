import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EngineEventsModule } from '../engine/engine-events.module.js';
import { FlowEventsGateway } from './flow-events.gateway.js';

@Module({ imports: [AuthModule, EngineEventsModule], providers: [FlowEventsGateway] })
export class GatewayModule {}
