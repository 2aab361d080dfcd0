export { JoltSpecError, JoltTransformError, type JoltWarning } from './errors.js';
export { compileChain, compileOperation, type CompiledChain, type CompileOptions, type CustomFunction } from './chain.js';
export type { RegexCompiler } from './modify-functions.js';
export type { CompiledOperation } from './shift.js';
export { deepEqual, JavaDouble, javaDouble, parseJson, stripJsonComments, toPlainJson, type ParseOptions } from './json.js';
export { stringifyJson, type WriteOptions } from './json-writer.js';
export { keysOf, objectFrom } from './order.js';
