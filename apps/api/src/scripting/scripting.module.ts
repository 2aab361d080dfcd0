import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OutboundHttpModule } from '../engine/outbound-http.module.js';
import { HTTP_CLIENT, type UndiciHttpClient } from '../engine/undici-http.client.js';
import { ScriptPool } from './script-pool.js';
import { ScriptChecks } from './script-checks.js';

/** Names the ScriptRunner port the scripted processors run through. */
export const SCRIPT_RUNNER = Symbol('SCRIPT_RUNNER');
/** Names the syntax checker used when a flow with scripts is saved. */
export const SCRIPT_CHECKS = Symbol('SCRIPT_CHECKS');

@Module({
  imports: [OutboundHttpModule],
  providers: [
    {
      provide: SCRIPT_RUNNER,
      inject: [APP_CONFIG, HTTP_CLIENT],
      useFactory: (config: AppConfig, http: UndiciHttpClient) => {
        const pool = new ScriptPool({ http });
        // Warm in the background: the first script request should not pay the Python cold start.
        if (config.scriptWarmUp) void pool.warmUp().catch(() => undefined);
        return pool;
      },
    },
    // Syntax checks use the flows' own runtimes: already warm, and a check goes ahead of queued runs.
    { provide: SCRIPT_CHECKS, inject: [SCRIPT_RUNNER], useFactory: (runner: ScriptPool) => new ScriptChecks(runner) },
  ],
  exports: [SCRIPT_RUNNER, SCRIPT_CHECKS],
})
export class ScriptingModule {}
