import { handleList, propertyHandles, CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { compileRule, parseRecords, RecordContentError, RecordRuleError, ruleMatches } from '../record-shared/json-records.util.js';

export const FILTER_EXPRESSION = 'Filter Expression';
export const FILTER_STRATEGY = 'Filter Strategy';
export const KEEP_MATCHING = 'keep-matching';
export const REMOVE_MATCHING = 'remove-matching';

const PROPS = propertyHandles([
  {
    name: FILTER_EXPRESSION,
    displayName: 'Filter Expression',
    description: 'A record expression returning true or false for each record (row). A missing value counts as false.',
    type: 'string',
    editor: 'textarea',
    required: true,
    placeholder: 'row.stock > 0',
  },
  {
    name: FILTER_STRATEGY,
    displayName: 'Filter Strategy',
    description: 'Whether records matching the expression are kept or removed.',
    type: 'enum',
    required: true,
    default: KEEP_MATCHING,
    allowableValues: [
      { value: KEEP_MATCHING, displayName: 'Keep matching records', description: 'Only records for which the expression is true remain.' },
      { value: REMOVE_MATCHING, displayName: 'Remove matching records', description: 'Records for which the expression is true are dropped.' },
    ],
  },
]);

export const FilterRecord = defineProcessor({
  descriptor: {
    type: 'FilterRecord',
    version: 1,
    displayName: 'Filter Record',
    description:
      'Keeps (or removes) the records of a JSON array for which a record expression is true, e.g. row.stock > 0 && row.sku|startsWith("A"). ' +
      'The expression sees the record as row and the FlowFile attributes as attributes / attr(name); NiFi EL functions are transforms.',
    category: 'transform',
    tags: ['record', 'filter', 'json', 'jexl', 'query'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The remaining records, as a JSON array (or the object, or nothing, for a single-object input).' },
      { ...REL_FAILURE, description: 'Content that is not JSON records, or an expression that failed; record.error says why.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'record.count', description: 'Records remaining.' },
      { name: 'record.filtered.count', description: 'Records dropped.' },
      { name: 'record.error', error: true, description: 'Why the FlowFile went to failure.' },
      { name: CoreAttributes.MIME_TYPE, description: 'application/json on success.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    try {
      compileRule(FILTER_EXPRESSION, config[FILTER_EXPRESSION]);
      return [];
    } catch (e) {
      return [{ property: FILTER_EXPRESSION, message: (e as Error).message, code: 'invalid' }];
    }
  },

  async onTrigger(ctx, session) {
    let flowFile: FlowFile | null = session.get();
    if (!flowFile) return;
    const keep = ctx.get(PROPS[FILTER_STRATEGY]) !== REMOVE_MATCHING;
    try {
      const text = ctx.get(PROPS[FILTER_EXPRESSION]);
      const rule = ctx.cache(`filter:${text ?? ''}`, () => compileRule(FILTER_EXPRESSION, text));
      const { rows, single } = parseRecords(await session.readText(flowFile));
      const attributes = flowFile.attributes;
      const kept: unknown[] = [];
      for (let i = 0; i < rows.length; i++) {
        if (ruleMatches(rule, FILTER_EXPRESSION, rows[i], i, attributes) === keep) kept.push(rows[i]);
      }
      // A single object stays an object when it survives; when it does not, the output is an empty array.
      const output = single && kept.length === 1 ? JSON.stringify(kept[0]) : JSON.stringify(kept);
      flowFile = session.write(flowFile, output);
      flowFile = session.putAllAttributes(flowFile, {
        'record.count': String(kept.length),
        'record.filtered.count': String(rows.length - kept.length),
        [CoreAttributes.MIME_TYPE]: 'application/json',
      });
      session.transfer(flowFile, REL_SUCCESS);
    } catch (e) {
      if (!(e instanceof RecordContentError || e instanceof RecordRuleError)) throw e;
      flowFile = session.putAttribute(flowFile, 'record.error', e.message);
      session.transfer(flowFile, REL_FAILURE);
    }
  },
});
