import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerSettingsDto } from '@sluice/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MinRole } from '../auth/roles.js';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
@MinRole('admin')
export class SettingsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'The settings the server was started with (no secrets): retention, login limits, body limit, database, cluster' })
  get(): ServerSettingsDto {
    const c = this.config;
    return {
      retentionMs: c.retentionMs,
      login: { ...c.login },
      tokenTtl: c.tokenTtl,
      maxBodyBytes: c.maxBody,
      database: c.database.type,
      cluster: c.cluster.enabled ? { enabled: true, nodeName: c.cluster.nodeName } : { enabled: false },
      apiDocs: c.apiDocs,
      allowedOrigins: [...c.allowedOrigins],
      logLevel: c.logLevel,
    };
  }
}
