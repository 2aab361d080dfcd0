export * from './ports.js';
export * from './flow-graph.js';
export * from './cron-schedule.js';
export * from './in-memory-repository.js';
export * from './flow-engine.js';
