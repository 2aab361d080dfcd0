export * from './flow-file.js';
export * from './relationship.js';
export * from './property.js';
export * from './session.js';
export * from './services.js';
export * from './context.js';
export * from './processor.js';
export * from './validation.js';
