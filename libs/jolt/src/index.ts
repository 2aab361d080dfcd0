export { JoltSpecError, JoltTransformError, type JoltWarning } from './errors.js';
export { compileChain, compileOperation, type CompiledChain, type CompileOptions, type CustomFunction } from './chain.js';
export type { CompiledOperation } from './shift.js';
export { parseJson, stripJsonComments, deepEqual } from './json.js';
