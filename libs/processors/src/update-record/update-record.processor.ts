import { checkExpression, type CompiledRecordExpression } from '@sluice/expression';
import { handleList, propertyHandles, CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type PropertyConfiguration, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { compileRule, parseRecords, RecordContentError, RecordRuleError } from '../record-shared/json-records.util.js';
import { getAtPath, parseRecordPath, RecordPathError, setAtPath, type PathStep } from './record-path.util.js';

export const REPLACEMENT_STRATEGY = 'Replacement Value Strategy';
export const RECORD_READER = 'Record Reader';
export const RECORD_WRITER = 'Record Writer';
export const RECORD_EXPRESSION = 'record-expression';
export const LITERAL_VALUE = 'literal-value';
export const RECORD_PATH_VALUE = 'record-path-value';

const STATIC = new Set([REPLACEMENT_STRATEGY, RECORD_READER, RECORD_WRITER]);
const NO_SERVICES = 'controller services are not supported: Sluice record processors read and write JSON (an array of records or one record); remove it';

export interface Update {
  readonly path: string;
  readonly steps: readonly PathStep[];
  /** The last field name on the path (field.name for literal values). */
  readonly field: string;
  readonly text: string;
  /** Set for the record-expression strategy. */
  readonly rule?: CompiledRecordExpression;
  /** The record-path-value strategy: the value is a record path read from the same record. */
  readonly fromPath?: boolean;
}

function updateEntries(config: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(config).filter((e): e is [string, string] => !STATIC.has(e[0]) && e[1] !== undefined);
}

/**
 * A record path given as a value (record-path-value): from the root (`/price/amount`), or relative to the field
 * being updated (`../nickname` is a sibling of it, `.` the field itself), as NiFi resolves them.
 */
export function valuePath(text: string, field: readonly PathStep[]): PathStep[] {
  const t = text.trim();
  if (t.startsWith('/')) return parseRecordPath(t);
  if (t !== '.' && !t.startsWith('./') && !t.startsWith('..')) {
    throw new RecordPathError(`'${text}' is not a record path; it must start with '/' (from the root) or '..' (relative to the field), e.g. /price`);
  }
  const steps = [...field];
  const rest: string[] = [];
  for (const segment of t.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..' && rest.length === 0) {
      // Up from a field: drop it with any indexes after it.
      while (steps.length > 0 && 'index' in steps[steps.length - 1]!) steps.pop();
      if (steps.length === 0) throw new RecordPathError(`'${text}' goes above the root of the record`);
      steps.pop();
    } else rest.push(segment);
  }
  return rest.length ? [...steps, ...parseRecordPath(`/${rest.join('/')}`)] : steps;
}

export function compileUpdates(config: Readonly<Record<string, string | undefined>>, strategy: string): Update[] {
  return updateEntries(config).map(([path, text]) => {
    let steps: PathStep[];
    try {
      steps = parseRecordPath(path);
    } catch (e) {
      throw new RecordRuleError((e as Error).message);
    }
    const field = (steps.filter((s) => 'field' in s).at(-1) as { field: string } | undefined)?.field ?? '';
    if (strategy === LITERAL_VALUE) return { path, steps, field, text };
    if (strategy === RECORD_PATH_VALUE) return { path, steps, field, text, fromPath: true };
    return { path, steps, field, text, rule: compileRule(path, text) };
  });
}

/**
 * Literal values are text (Expression Language results); where the field already holds a number or boolean and
 * the text reads as one, the type is kept, as NiFi's writer coerces to the field's schema type.
 */
export function coerceLiteral(text: string, previous: unknown): unknown {
  if (typeof previous === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (typeof previous === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** NiFi's RecordFieldType name for a JSON value, as its JSON reader infers it; a missing or null value reads as STRING. */
function fieldType(v: unknown): string {
  if (Array.isArray(v)) return 'ARRAY';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'DOUBLE';
    return v >= -(2 ** 31) && v < 2 ** 31 ? 'INT' : Number.isSafeInteger(v) ? 'LONG' : 'BIGINT';
  }
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (v !== null && typeof v === 'object') return 'RECORD';
  return 'STRING';
}

/** Evaluates a value's Expression Language with field.* and record.index attributes added. */
export type LiteralEvaluator = (text: string, extra: Readonly<Record<string, string>>) => string;

/**
 * Applies the updates to each row in place, in order, so a later update sees the fields an earlier one set.
 * Throws a RecordRuleError naming the path and the record when an update fails.
 */
export function applyUpdates(rows: unknown[], updates: readonly Update[], attributes: Readonly<Record<string, string>>, literal: LiteralEvaluator): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (const u of updates) {
      let value: unknown;
      try {
        if (u.rule) {
          value = u.rule.evaluate(row, attributes);
        } else if (u.fromPath) {
          value = getAtPath(row, valuePath(literal(u.text, {}), u.steps));
        } else {
          const previous = getAtPath(row, u.steps);
          // record.index counts from 1, as NiFi's does.
          const extra: Record<string, string> = { 'field.name': u.field, 'field.type': fieldType(previous), 'record.index': String(i + 1) };
          if (previous !== undefined && previous !== null) extra['field.value'] = typeof previous === 'object' ? JSON.stringify(previous) : String(previous);
          value = coerceLiteral(literal(u.text, extra), previous);
        }
        // JSON has no undefined: a missing result becomes an explicit null, as NiFi writes it.
        setAtPath(row, u.steps, value === undefined ? null : typeof value === 'bigint' ? value.toString() : value);
      } catch (e) {
        throw new RecordRuleError(`${u.path} failed on record ${i}: ${(e as Error).message}`);
      }
    }
  }
}

export function migrateUpdateRecordProperties(config: PropertyConfiguration): void {
  config.renameProperty('record-reader', RECORD_READER);
  config.renameProperty('record-writer', RECORD_WRITER);
  config.renameProperty('replacement-value-strategy', REPLACEMENT_STRATEGY);
}

const PROPS = propertyHandles([
  {
    name: REPLACEMENT_STRATEGY,
    displayName: 'Replacement Value Strategy',
    description: 'How the value of each user-added property is interpreted.',
    type: 'enum',
    required: true,
    default: RECORD_EXPRESSION,
    allowableValues: [
      {
        value: RECORD_EXPRESSION,
        displayName: 'Record Expression',
        description: 'A jexl record expression over row (and attributes / attr(name)); its result, of any JSON type, is the new value.',
      },
      {
        value: LITERAL_VALUE,
        displayName: 'Literal Value',
        description:
          'Expression Language text over the FlowFile attributes plus field.name, field.value, field.type and record.index; numbers and booleans keep their type.',
      },
      {
        value: RECORD_PATH_VALUE,
        displayName: 'Record Path Value',
        description:
          'The value (after Expression Language) is a record path, from the root (/price/amount) or relative to the field (../nickname); ' +
          'the field is set to what it selects in the same record.',
      },
    ],
  },
  {
    name: RECORD_READER,
    displayName: 'Record Reader',
    description: `NiFi: the controller service reading records. Not supported: ${NO_SERVICES}.`,
    type: 'string',
  },
  {
    name: RECORD_WRITER,
    displayName: 'Record Writer',
    description: `NiFi: the controller service writing records. Not supported: ${NO_SERVICES}.`,
    type: 'string',
  },
]);

export const UpdateRecord = defineProcessor({
  descriptor: {
    type: 'UpdateRecord',
    version: 2,
    displayName: 'Update Record',
    description:
      'Sets fields of each record in JSON content. Each user-added property names a field by record path (/stock, /price/amount, ' +
      '/images[0]/url) and gives its value: a record expression over row (row.qty * 2, row.sku|toUpper) or, with the literal ' +
      'strategy, Expression Language text where ${field.value} is the current value. Updates apply in property order.',
    category: 'transform',
    tags: ['record', 'update', 'json', 'jexl', 'modify', 'field'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The updated records.' },
      { ...REL_FAILURE, description: 'Content that is not JSON records, or an update that failed; record.error says why.' },
    ],
    dynamicProperties: {
      description: 'The property name is a record path (/field); the value computes the field, as the Replacement Value Strategy says.',
      expressionScope: 'none',
    },
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'record.count', description: 'Records updated.' },
      { name: 'record.error', error: true, description: 'Why the FlowFile went to failure.' },
      { name: CoreAttributes.MIME_TYPE, description: 'application/json on success.' },
    ],
  },

  migrateProperties: migrateUpdateRecordProperties,

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    const strategy = config[REPLACEMENT_STRATEGY];
    for (const service of [RECORD_READER, RECORD_WRITER]) {
      if (config[service] !== undefined && config[service] !== '') results.push({ property: service, message: `${service}: ${NO_SERVICES}`, code: 'invalid' });
    }
    const entries = updateEntries(config);
    if (entries.length === 0) {
      results.push({ property: null, message: 'add at least one update: a property named after a record path such as /stock, valued with the new value', code: 'required' });
    }
    for (const [path, text] of entries) {
      try {
        parseRecordPath(path);
      } catch (e) {
        results.push({ property: path, message: (e as Error).message, code: 'invalid' });
        continue;
      }
      if (strategy === RECORD_PATH_VALUE) {
        const err = checkExpression(text);
        if (err) results.push({ property: path, message: `${path}: ${err.message}`, line: err.line, column: err.column, code: 'invalid' });
        else if (!text.includes('${')) {
          try {
            valuePath(text, parseRecordPath(path));
          } catch (e) {
            results.push({ property: path, message: `${path}: ${(e as Error).message}`, code: 'invalid' });
          }
        }
      } else if (strategy === LITERAL_VALUE) {
        const err = checkExpression(text);
        if (err) results.push({ property: path, message: `${path}: ${err.message}`, line: err.line, column: err.column, code: 'invalid' });
      } else {
        try {
          compileRule(path, text);
        } catch (e) {
          results.push({ property: path, message: (e as Error).message, code: 'invalid' });
        }
      }
    }
    return results;
  },

  async onTrigger(ctx, session) {
    let flowFile: FlowFile | null = session.get();
    if (!flowFile) return;
    const strategy = ctx.get(PROPS[REPLACEMENT_STRATEGY]);
    const dynamic = ctx.dynamicProperties();
    try {
      const updates = ctx.cache(`updates:${strategy}:${JSON.stringify(dynamic)}`, () => compileUpdates(dynamic, strategy));
      const { rows, single } = parseRecords(await session.readText(flowFile));
      const current = flowFile;
      applyUpdates(rows, updates, current.attributes, (text, extra) => ctx.evaluateExpression(text, current, extra));
      flowFile = session.write(flowFile, JSON.stringify(single ? rows[0] : rows));
      flowFile = session.putAllAttributes(flowFile, { 'record.count': String(rows.length), [CoreAttributes.MIME_TYPE]: 'application/json' });
      session.transfer(flowFile, REL_SUCCESS);
    } catch (e) {
      if (!(e instanceof RecordContentError || e instanceof RecordRuleError || e instanceof RecordPathError)) throw e;
      flowFile = session.putAttribute(flowFile, 'record.error', e.message);
      session.transfer(flowFile, REL_FAILURE);
    }
  },
});
