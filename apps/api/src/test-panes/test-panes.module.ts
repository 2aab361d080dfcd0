import { Module } from '@nestjs/common';
import { OutboundHttpModule } from '../engine/outbound-http.module.js';
import { TestPaneRuntime } from './test-pane-runtime.js';
import { TestPanesController } from './test-panes.controller.js';

@Module({ imports: [OutboundHttpModule], providers: [TestPaneRuntime], controllers: [TestPanesController], exports: [TestPaneRuntime] })
export class TestPanesModule {}
