import { CoreAttributes, defineProcessor, REL_SUCCESS, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';

export const DELETE_ATTRIBUTES = 'Delete Attributes Expression';

/** Attributes the session owns; NiFi ignores attempts to change or delete them. */
const PROTECTED = new Set<string>([CoreAttributes.UUID]);

/** Compiles the deletion regex with Java's `matches()` semantics: the whole attribute name must match. */
export function compileDeleteRegex(regex: string): RegExp {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch (e) {
    throw new Error(`${DELETE_ATTRIBUTES}: '${regex}' is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
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

export const UpdateAttribute = defineProcessor({
  descriptor: {
    type: 'UpdateAttribute',
    version: 1,
    displayName: 'Update Attribute',
    description:
      'Adds or updates FlowFile attributes with Expression Language values (one user-added property per attribute) and deletes ' +
      'attributes whose names match a regular expression.',
    category: 'transform',
    tags: ['attributes', 'modification', 'update', 'delete', 'Attribute Expression Language'],
    properties: [
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
    ],
    relationships: [{ name: REL_SUCCESS.name, description: 'All FlowFiles, with their attributes updated.' }],
    dynamicProperties: {
      description: 'The property name is the attribute to add or update; the value (Expression Language) is its new value.',
      expressionScope: 'flowfile',
    },
    inputRequirement: 'required',
    defaultRunDuration: '25 ms',
    writesAttributes: [{ name: '(property names)', description: 'Each user-added property sets the attribute of the same name.' }],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    const regex = config[DELETE_ATTRIBUTES];
    if (regex !== undefined && regex !== '' && !regex.includes('${') && !regex.includes('#{')) {
      try {
        compileDeleteRegex(regex);
      } catch (e) {
        results.push({ property: DELETE_ATTRIBUTES, message: (e as Error).message, code: 'invalid' });
      }
    }
    for (const name of Object.keys(config)) {
      if (name === DELETE_ATTRIBUTES || config[name] === undefined) continue;
      if (name.trim() === '') results.push({ property: name, message: 'an attribute name cannot be blank', code: 'invalid' });
      else if (PROTECTED.has(name)) results.push({ property: name, message: `the '${name}' attribute is owned by the FlowFile and cannot be changed`, code: 'invalid' });
    }
    return results;
  },

  onTrigger(ctx, session) {
    let flowFile: FlowFile | null = session.get();
    if (!flowFile) return;
    const dynamic = ctx.dynamicProperties();
    const values: Record<string, string> = {};
    for (const [name, text] of Object.entries(dynamic)) {
      try {
        values[name] = ctx.evaluateExpression(text, flowFile);
      } catch (e) {
        // As in NiFi: no failure relationship; the engine rolls back and penalizes the FlowFile.
        throw new Error(`Unable to evaluate new value for attribute '${name}': ${(e as Error).message}`, { cause: e });
      }
    }
    let deleteRegex: RegExp | null = null;
    const deleteProperty = ctx.property(DELETE_ATTRIBUTES);
    if (deleteProperty.isSet()) {
      const regex = deleteProperty.evaluate(flowFile).asString();
      if (regex) deleteRegex = ctx.cache(`delete:${regex}`, () => compileDeleteRegex(regex));
    }
    const { put, remove } = planAttributeUpdate(flowFile.attributes, values, deleteRegex);
    if (Object.keys(put).length > 0) flowFile = session.putAllAttributes(flowFile, put);
    if (remove.length > 0) flowFile = session.removeAllAttributes(flowFile, remove);
    session.transfer(flowFile, REL_SUCCESS);
  },
});
