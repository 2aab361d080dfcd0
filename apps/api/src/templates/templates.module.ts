import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module.js';
import { TemplatesController } from './templates.controller.js';

@Module({ imports: [FlowsModule], controllers: [TemplatesController] })
export class TemplatesModule {}
