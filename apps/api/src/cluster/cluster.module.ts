import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { ClusterController } from './cluster.controller.js';
import { ClusterService } from './cluster.service.js';

@Module({
  imports: [EngineModule],
  providers: [ClusterService],
  controllers: [ClusterController],
})
export class ClusterModule {}
