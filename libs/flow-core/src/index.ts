export * from './ports.js';
export * from './flow-graph.js';
export * from './cron-schedule.js';
export * from './connection-queue.js';
export * from './in-memory-repository.js';
export * from './standard-process-context.js';
export * from './standard-process-session.js';
export * from './flow-engine.js';
