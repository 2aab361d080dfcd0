import './el-compiler.js';
import { FUNCTIONS } from './functions/function-table.js';

export interface FunctionInfo {
  readonly name: string;
  readonly signature: string;
  readonly description: string;
  readonly subjectless: boolean;
}

/** Every EL function with a one-line signature and description, for editor completion. */
export const functionCatalogue: readonly FunctionInfo[] = Object.freeze(
  [...FUNCTIONS.values()]
    .map((f) => Object.freeze({ name: f.name, signature: f.signature, description: f.description, subjectless: f.position !== 'chain' }))
    .sort((a, b) => a.name.localeCompare(b.name)),
);
