import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DataSource } from 'typeorm';
import { AllApiKeysController, ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController, UsersController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { SessionEvents } from './session-events.js';
import { SqlThrottlerStorage } from './sql-login-limiter.js';

@Module({
  imports: [
    // Login attempts per client address and minute (the login route's ThrottlerGuard); lockouts are LoginLimiter's.
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, ds: DataSource) => ({
        throttlers: [{ ttl: 60_000, limit: config.login.perMinute }],
        // On Postgres (a cluster's nodes) the window per address is shared through the database.
        ...(config.database.type === 'postgres' ? { storage: new SqlThrottlerStorage(ds) } : {}),
        errorMessage: (_ctx, d) => `too many login attempts from this address; try again in ${Math.max(1, Math.ceil(d.timeToBlockExpire))} s`,
      }),
    }),
  ],
  providers: [AuthService, ApiKeysService, SessionEvents, { provide: APP_GUARD, useClass: AuthGuard }],
  controllers: [AuthController, UsersController, ApiKeysController, AllApiKeysController],
  exports: [AuthService, ApiKeysService, SessionEvents],
})
export class AuthModule {}
