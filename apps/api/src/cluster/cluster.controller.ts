import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClusterService } from './cluster.service.js';

@ApiTags('cluster')
@ApiBearerAuth()
@Controller('cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @ApiOperation({ summary: 'Cluster mode: the live nodes with their heartbeat, the leader, and unfinished executions per node' })
  overview() {
    return this.cluster.overview();
  }
}
