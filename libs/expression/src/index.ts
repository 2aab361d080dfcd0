export { ExpressionError } from './expression-error.js';
export { compileExpression, evaluateExpression, checkExpression } from './expression.js';
export type { EvaluationEnvironment, CompiledExpression } from './expression.js';
export type { HostInfo } from './el-types.js';
export { functionCatalogue } from './catalogue.js';
export type { FunctionInfo } from './catalogue.js';
export { tokenizeExpression } from './tokenizer.js';
export type { ExpressionToken, TokenKind } from './tokenizer.js';
