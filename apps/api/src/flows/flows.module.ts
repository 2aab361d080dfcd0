import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BulletinsController } from '../bulletins/bulletins.controller.js';
import { BulletinsModule } from '../bulletins/bulletins.module.js';
import { EngineModule } from '../engine/engine.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { ScriptingModule } from '../scripting/scripting.module.js';
import { TestPanesModule } from '../test-panes/test-panes.module.js';
import { FlowControlController } from './flow-control.controller.js';
import { FlowControl } from './flow-control.service.js';
import { FlowsController } from './flows.controller.js';
import { FlowsService } from './flows.service.js';

/**
 * Flow documents and the per-flow routes (flows/:id/...): editing, start/stop/test (FlowControl in front of the
 * engine), bulletins. Those routes check the flow exists through FlowsService, and FlowsService uses the engine and
 * bulletins, so their controllers are mounted here rather than in EngineModule or BulletinsModule.
 */
@Module({
  imports: [AuthModule, EngineModule, ExecutionsModule, BulletinsModule, ScriptingModule, TestPanesModule],
  providers: [FlowsService, FlowControl],
  controllers: [FlowsController, FlowControlController, BulletinsController],
  exports: [FlowsService],
})
export class FlowsModule {}
