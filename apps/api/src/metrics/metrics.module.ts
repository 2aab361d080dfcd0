import { Controller, Get, Header, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MinRole } from '../auth/roles.js';
import { EventLoopMonitor } from './event-loop-monitor.js';

/** The process's metrics (prom-client): Node's defaults and the event-loop blocks of EventLoopMonitor. */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly eventLoop: EventLoopMonitor;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.eventLoop = new EventLoopMonitor(this.registry);
  }

  onApplicationShutdown(): void {
    this.eventLoop.close();
  }
}

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
@MinRole('admin')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "This node's metrics in Prometheus text format (admin): Node.js process metrics and event-loop blocks" })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

@Module({ providers: [MetricsService], controllers: [MetricsController] })
export class MetricsModule {}
