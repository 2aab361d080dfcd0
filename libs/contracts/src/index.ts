export * from './flow-document.js';
export * from './api.js';
export * from './events.js';
export * from './flow-groups.js';
export * from './flow-limits.js';
