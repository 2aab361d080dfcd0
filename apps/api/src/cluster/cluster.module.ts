import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { EngineModule } from '../engine/engine.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { IntegrationModule } from '../integration/integration.module.js';
import { ClusterController } from './cluster.controller.js';
import { ClusterService } from './cluster.service.js';
import { ClusterSyncInterceptor } from './cluster-sync.interceptor.js';

@Module({
  imports: [EngineModule, ExecutionsModule, IntegrationModule],
  providers: [ClusterService, { provide: APP_INTERCEPTOR, useClass: ClusterSyncInterceptor }],
  controllers: [ClusterController],
})
export class ClusterModule {}
