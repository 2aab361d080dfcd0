export * from './manual-clock.js';
export * from './fake-services.js';
export * from './mock-flow-file.js';
export * from './test-runner.js';
export * from './fake-http-server.js';
