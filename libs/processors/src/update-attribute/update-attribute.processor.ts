import { compileExpression } from '@sluice/expression';
import { compileUserRegex, UnsafeRegexError } from '../text-shared/user-regex.util.js';
import {
  handleList, propertyHandles,
  CoreAttributes, defineProcessor, REL_SUCCESS,
  type FlowFile, type PropertyConfiguration, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';

export const DELETE_ATTRIBUTES = 'Delete Attributes Expression';
export const STORE_STATE = 'Store State';
export const STATE_INITIAL_VALUE = 'Stateful Variables Initial Value';
export const CACHE_SIZE = 'Cache Value Lookup Cache Size';

export const DO_NOT_STORE_STATE = 'Do not store state';
export const STORE_STATE_LOCALLY = 'Store state locally';
export const REL_SET_STATE_FAIL = 'set state fail';

const STATIC = new Set([DELETE_ATTRIBUTES, STORE_STATE, STATE_INITIAL_VALUE, CACHE_SIZE]);

/** Attributes the session owns; NiFi ignores attempts to change or delete them. */
const PROTECTED = new Set<string>([CoreAttributes.UUID]);

const hasExpression = (v: string) => v.includes('${') || v.includes('#{');

/** Compiles the deletion regex (Java syntax) with Java's `matches()` semantics: the whole attribute name must match. */
export function compileDeleteRegex(regex: string): RegExp {
  try {
    return compileUserRegex(regex).full;
  } catch (e) {
    if (e instanceof UnsafeRegexError) throw new Error(`${DELETE_ATTRIBUTES}: ${e.message}`);
    const reason = /^invalid regular expression '[\s\S]*?': ([\s\S]*)$/.exec((e as Error).message)?.[1] ?? (e as Error).message;
    throw new Error(`${DELETE_ATTRIBUTES}: '${regex}' is not a valid regular expression: ${reason}`);
  }
}

/**
 * What UpdateAttribute does to one FlowFile, as NiFi does it: every value is evaluated against the incoming
 * attributes (never against values set by a sibling property), and existing attributes matching the deletion
 * regex are removed even when a property also sets them; new attributes are still added.
 */
export function planAttributeUpdate(
  existing: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
  deleteRegex: RegExp | null,
): { put: Record<string, string>; remove: string[] } {
  const remove: string[] = [];
  if (deleteRegex) {
    for (const key of Object.keys(existing)) if (!PROTECTED.has(key) && deleteRegex.test(key)) remove.push(key);
  }
  const removed = new Set(remove);
  const put: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (!removed.has(key) && !PROTECTED.has(key)) put[key] = value;
  return { put, remove };
}

const sameState = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export function migrateUpdateAttributeProperties(config: PropertyConfiguration): void {
  config.renameProperty('canonical-value-lookup-cache-size', CACHE_SIZE);
}

const PROPS = propertyHandles([
  {
    name: DELETE_ATTRIBUTES,
    displayName: 'Delete Attributes Expression',
    description:
      'Regular expression for attributes to be deleted from FlowFiles; the whole name must match. Existing attributes that match are ' +
      'deleted even when a property also sets them. May use Expression Language.',
    type: 'string',
    editor: 'el',
    expressionScope: 'flowfile',
    placeholder: 'temp\\..*',
  },
  {
    name: STORE_STATE,
    displayName: 'Store State',
    description:
      "Whether each user-added property's value is also kept in the processor state, where the next FlowFile reads it with " +
      "getStateValue('name') (a running count or sum, for example).",
    type: 'enum',
    required: true,
    default: DO_NOT_STORE_STATE,
    allowableValues: [
      { value: DO_NOT_STORE_STATE, displayName: DO_NOT_STORE_STATE, description: 'Only the FlowFile attributes are updated.' },
      { value: STORE_STATE_LOCALLY, displayName: STORE_STATE_LOCALLY, description: 'The values are also stored in the state of this processor.' },
    ],
  },
  {
    name: STATE_INITIAL_VALUE,
    displayName: 'Stateful Variables Initial Value',
    description:
      'The value a stateful variable starts with when the state holds none for it, set when the processor is scheduled. ' +
      'Required when storing state; may be empty.',
    type: 'string',
    dependsOn: [{ property: STORE_STATE, values: [STORE_STATE_LOCALLY] }],
  },
  {
    name: CACHE_SIZE,
    displayName: 'Cache Value Lookup Cache Size',
    description: 'NiFi: how many canonical attribute values to keep on the Java heap. Validated; Sluice has no such cache, so it changes nothing.',
    type: 'integer',
    required: true,
    default: '100',
    validators: [{ kind: 'range', min: 0 }],
  },
]);

export const UpdateAttribute = defineProcessor({
  descriptor: {
    type: 'UpdateAttribute',
    version: 2,
    displayName: 'Update Attribute',
    description:
      'Adds or updates FlowFile attributes with Expression Language values (one user-added property per attribute) and deletes ' +
      'attributes whose names match a regular expression. Optionally keeps each value in the processor state, where the next ' +
      'FlowFile reads it with getStateValue().',
    category: 'transform',
    tags: ['attributes', 'modification', 'update', 'delete', 'Attribute Expression Language', 'state'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'All FlowFiles, with their attributes updated.' },
      {
        name: REL_SET_STATE_FAIL,
        failure: true,
        description: 'A FlowFile whose attributes were updated but whose values could not be stored in the state (another task changed it first).',
        when: { property: STORE_STATE, values: [STORE_STATE_LOCALLY] },
      },
    ],
    dynamicProperties: {
      description: 'The property name is the attribute to add or update; the value (Expression Language) is its new value.',
      expressionScope: 'flowfile',
    },
    inputRequirement: 'required',
    defaultRunDuration: '25 ms',
    writesAttributes: [{ name: '(property names)', description: 'Each user-added property sets the attribute of the same name.' }],
  },

  migrateProperties: migrateUpdateAttributeProperties,

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    const regex = config[DELETE_ATTRIBUTES];
    if (regex !== undefined && regex !== '') {
      if (!hasExpression(regex)) {
        try {
          compileDeleteRegex(regex);
        } catch (e) {
          results.push({ property: DELETE_ATTRIBUTES, message: (e as Error).message, code: 'invalid' });
        }
      } else {
        const type = compileExpression(regex).resultType;
        if (type !== 'String' && type !== 'Any') {
          results.push({ property: DELETE_ATTRIBUTES, message: `${DELETE_ATTRIBUTES}: the expression must return a String (a regular expression), not a ${type}`, code: 'invalid' });
        }
      }
    }
    if (config[STORE_STATE] === STORE_STATE_LOCALLY && config[STATE_INITIAL_VALUE] === undefined) {
      results.push({ property: STATE_INITIAL_VALUE, message: `${STATE_INITIAL_VALUE}: the initial state value must be set when the processor stores state (it may be empty)`, code: 'required' });
    }
    for (const name of Object.keys(config)) {
      if (STATIC.has(name) || config[name] === undefined) continue;
      if (name.trim() === '') results.push({ property: name, message: 'an attribute name cannot be blank', code: 'invalid' });
    }
    return results;
  },

  async onScheduled(ctx) {
    for (const name of Object.keys(ctx.dynamicProperties())) {
      // As in NiFi: a FlowFile's uuid never changes, so such a property has no effect.
      if (PROTECTED.has(name)) ctx.log.warn(`the '${name}' property is ignored: the ${name} attribute of a FlowFile cannot be changed`);
    }
    if (ctx.get(PROPS[STORE_STATE]) !== STORE_STATE_LOCALLY) return;
    const state = await ctx.services.state.get('local');
    const initial = ctx.get(PROPS[STATE_INITIAL_VALUE]) ?? '';
    for (const name of Object.keys(ctx.dynamicProperties())) if (!(name in state)) state[name] = initial;
    await ctx.services.state.set(state, 'local');
  },

  async onTrigger(ctx, session) {
    let flowFile: FlowFile | null = session.get();
    if (!flowFile) return;
    const stateful = ctx.get(PROPS[STORE_STATE]) === STORE_STATE_LOCALLY;
    let initialState: Record<string, string> | undefined;
    if (stateful) {
      try {
        initialState = await ctx.services.state.get('local');
      } catch (e) {
        // The engine rolls the session back: the FlowFile returns to its queue and the processor yields.
        throw new Error(`Failed to get the state when processing ${flowFile.uuid}: ${(e as Error).message}`, { cause: e });
      }
    }
    const values: Record<string, string> = {};
    for (const [name, text] of Object.entries(ctx.dynamicProperties())) {
      try {
        values[name] = ctx.evaluateExpression(text, flowFile, undefined, initialState);
      } catch (e) {
        // As in NiFi: no failure relationship; the engine rolls back and penalizes the FlowFile.
        throw new Error(`Unable to evaluate new value for attribute '${name}': ${(e as Error).message}`, { cause: e });
      }
    }
    let deleteRegex: RegExp | null = null;
    const deleteProperty = ctx.property(PROPS[DELETE_ATTRIBUTES]);
    if (deleteProperty.isSet()) {
      const regex = deleteProperty.evaluate(flowFile).asString();
      if (regex) deleteRegex = ctx.cache(`delete:${regex}`, () => compileDeleteRegex(regex));
    }
    const { put, remove } = planAttributeUpdate(flowFile.attributes, values, deleteRegex);
    if (Object.keys(put).length > 0) flowFile = session.putAllAttributes(flowFile, put);
    if (remove.length > 0) flowFile = session.removeAllAttributes(flowFile, remove);
    if (initialState) {
      // Every stateful variable is stored, deleted attributes included, as NiFi does.
      const next = { ...initialState, ...values };
      if (!sameState(initialState, next)) {
        let stored: boolean;
        try {
          stored = await ctx.services.state.replace(initialState, next, 'local');
        } catch (e) {
          ctx.log.error(`Failed to set the state after processing ${flowFile.uuid}; transferring it to '${REL_SET_STATE_FAIL}'`, e);
          session.transfer(flowFile, REL_SET_STATE_FAIL);
          ctx.yield();
          return;
        }
        if (!stored) {
          ctx.log.warn(`Failed to update the state after processing ${flowFile.uuid}: another task changed it first; transferring it to '${REL_SET_STATE_FAIL}'`);
          session.transfer(flowFile, REL_SET_STATE_FAIL);
          return;
        }
      }
    }
    session.transfer(flowFile, REL_SUCCESS);
  },
});
