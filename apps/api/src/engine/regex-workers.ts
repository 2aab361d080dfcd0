import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { RegexJobError, type RegexEngine, type RegexJob, type RegexTextResult } from '@sluice/flow-api';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { inSlices } from '../common/slices.js';
import { appModule, WorkerPool } from '../common/worker-pool.js';
import { decodeResults, type WireResults } from './regex-wire.js';

export const REGEX_ENGINE = Symbol('REGEX_ENGINE');

/**
 * The processors' regex engine: jobs too long for the server's thread (a pattern on the linear-time engine over more
 * than its in-thread limit, at 1 to 20 MB/s) run in worker threads, each within SLUICE_REGEX_TIMEOUT; a job past it
 * has its worker terminated and replaced, and fails alone.
 */
@Injectable()
export class RegexWorkers implements RegexEngine, OnApplicationShutdown {
  private readonly pool: WorkerPool;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.timeoutMs = config.regexTimeoutMs;
    this.pool = new WorkerPool({
      source: new URL(appModule(new URL('./regex.worker.js', import.meta.url))),
      workers: 2,
      maxQueue: 32,
      // Room for a large buffer's text, its copy and the result (two bytes a character).
      memoryMb: 512,
      errors: {
        // Deep recursion surfaces as a RangeError, in a worker as in the server's thread.
        failed: (e) => (e.name === 'RangeError' ? new RangeError(e.message) : new RegexJobError(e.message, 'failed')),
        timedOut: (ms) => new RegexJobError(`ran past its time limit of ${ms} ms (SLUICE_REGEX_TIMEOUT) and was stopped`, 'deadline'),
        stopped: (why) => new RegexJobError(`the regex worker stopped: ${why}`, 'failed'),
        busy: (waiting) => new RegexJobError(`the server is running ${waiting} other regex jobs; tried again later`, 'busy'),
        startFailure: 'regex worker failed to start',
        closed: 'the server is shutting down',
      },
    });
  }

  async run(job: RegexJob): Promise<readonly RegexTextResult[]> {
    try {
      return await inSlices(decodeResults(await this.pool.run<WireResults>('regex', job, this.timeoutMs)));
    } catch (e) {
      if (!(e instanceof RegexJobError) || e.code !== 'deadline') throw e;
      const length = job.texts.reduce((n, t) => n + t.length, 0);
      throw new RegexJobError(`regular expression '${job.pattern}' over ${length} characters ${e.message}`, 'deadline');
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }
}
