import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { HttpClient } from '@sluice/flow-api';
import { DataSource } from 'typeorm';
import { SqlStateManager } from '../engine/sql-state.manager.js';
import { HTTP_CLIENT } from '../engine/undici-http.client.js';
import { ScriptPool } from '../scripting/index.js';
import { PANE_NICENESS, PaneSandbox } from './pane-sandbox.js';

/** Limits of the test panes, by role: a viewer's experiment is small, an editor's may be a real batch. */
export const PANE_LIMITS = {
  expressionTimeoutMs: 2_000,
  mappingTimeoutMs: 10_000,
  script: {
    viewer: { timeoutMs: 10_000, memoryMb: 128 },
    editor: { timeoutMs: 60_000, memoryMb: 256 },
  },
} as const;

/**
 * The test panes' own runtimes: a script pool apart from the flows' (a viewer's endless loop cannot delay a
 * production Script step) and worker threads with deadlines for expressions and mappings.
 */
@Injectable()
export class TestPaneRuntime implements OnApplicationShutdown {
  readonly scripts: ScriptPool;
  readonly sandbox = new PaneSandbox({ workers: 2, maxQueue: 32 });

  constructor(
    @Inject(HTTP_CLIENT) http: HttpClient,
    private readonly ds: DataSource,
  ) {
    this.scripts = new ScriptPool({ pythonWorkers: 1, jsIsolates: 1, http, maxQueue: 8, defaultTimeoutMs: PANE_LIMITS.script.viewer.timeoutMs, defaultMemoryMb: PANE_LIMITS.script.viewer.memoryMb, niceness: PANE_NICENESS });
  }

  /** A step's state as its flow stored it, which a pane's dry run starts from (and never writes back); empty without a step. */
  async storedState(flowId?: string, processorId?: string): Promise<{ local: Record<string, string>; cluster: Record<string, string> }> {
    if (!flowId || !processorId) return { local: {}, cluster: {} };
    const state = new SqlStateManager(this.ds, flowId, processorId);
    return { local: await state.get('local'), cluster: await state.get('cluster') };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.scripts.close(), this.sandbox.close()]);
  }
}
