import {
  handleList, propertyHandles,
  CoreAttributes, defineProcessor, encodeText, REL_SUCCESS,
  type PropertyConfiguration, type ProcessContext, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';

export const FILE_SIZE = 'File Size';
export const BATCH_SIZE = 'Batch Size';
export const DATA_FORMAT = 'Data Format';
export const UNIQUE = 'Unique FlowFiles';
export const CUSTOM_TEXT = 'Custom Text';
export const CHARSET = 'Character Set';
export const MIME_TYPE = 'Mime Type';

export const BINARY = 'Binary';
export const TEXT = 'Text';
/** A Sluice limit, so one trigger cannot hold the server: NiFi sets none. */
export const MAX_BATCH = 100_000;

const TEXT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()-_=+/?.,\';:"?<>\n\t ';

/** Random content as NiFi makes it: raw bytes, or characters from a printable alphabet for Text. */
export function randomContent(size: number, format: 'Binary' | 'Text'): Uint8Array {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  if (format === TEXT) for (let i = 0; i < size; i++) bytes[i] = TEXT_ALPHABET.charCodeAt(bytes[i]! % TEXT_ALPHABET.length);
  return bytes;
}

/** File Size supports Expression Language (environment): evaluated each time content is generated. */
function generate(ctx: ProcessContext): Uint8Array {
  const size = ctx.get(PROPS[FILE_SIZE]);
  return randomContent(size, ctx.get(PROPS[DATA_FORMAT]) === BINARY ? BINARY : TEXT);
}

/** The random content every FlowFile of a schedule shares when they are not unique (NiFi's onScheduled data). */
const shared = new WeakMap<ProcessContext, Uint8Array>();

export function migrateGenerateFlowFileProperties(config: PropertyConfiguration): void {
  config.renameProperty('generate-ff-custom-text', CUSTOM_TEXT);
  config.renameProperty('character-set', CHARSET);
  config.renameProperty('mime-type', MIME_TYPE);
}

const PROPS = propertyHandles([
  {
    name: FILE_SIZE,
    displayName: 'File Size',
    description: 'The size of the random content of each FlowFile. Expression Language (environment) is evaluated whenever content is generated.',
    type: 'dataSize',
    default: '0B',
    required: true,
    expressionScope: 'environment',
  },
  {
    name: BATCH_SIZE,
    displayName: 'Batch Size',
    description: `The number of FlowFiles to be transferred in each invocation (at most ${MAX_BATCH.toLocaleString('en')} in Sluice).`,
    type: 'integer',
    default: '1',
    required: true,
    validators: [{ kind: 'range', min: 1, max: MAX_BATCH }],
  },
  {
    name: DATA_FORMAT,
    displayName: 'Data Format',
    description: 'Specifies whether the data should be Text or Binary.',
    type: 'enum',
    default: TEXT,
    required: true,
    allowableValues: [
      { value: BINARY, displayName: BINARY },
      { value: TEXT, displayName: TEXT },
    ],
  },
  {
    name: UNIQUE,
    displayName: 'Unique FlowFiles',
    description:
      'If true, each FlowFile gets new random content. If false, a random value is generated once per schedule and every FlowFile ' +
      'gets the same content, which is much faster.',
    type: 'boolean',
    default: 'false',
    required: true,
  },
  {
    name: CUSTOM_TEXT,
    displayName: 'Custom Text',
    description:
      'When set, the content of every FlowFile (File Size is then ignored); requires Data Format Text and Unique FlowFiles false. ' +
      'Expression Language (environment) is evaluated once per batch.',
    type: 'string',
    editor: 'textarea',
    expressionScope: 'environment',
  },
  {
    name: CHARSET,
    displayName: 'Character Set',
    description: 'Specifies the character set to use when writing the bytes of Custom Text to a FlowFile.',
    type: 'string',
    default: 'UTF-8',
    required: true,
    validators: [{ kind: 'charset', forWriting: true }],
  },
  {
    name: MIME_TYPE,
    displayName: 'Mime Type',
    description: "Specifies the value to set for the 'mime.type' attribute.",
    type: 'string',
    placeholder: 'application/json',
  },
]);

export const GenerateFlowFile = defineProcessor({
  descriptor: {
    type: 'GenerateFlowFile',
    version: 2,
    displayName: 'Generate FlowFile',
    description:
      'Creates FlowFiles with random content or custom text on its schedule. Useful for load tests, and for starting a flow ' +
      'with a fixed request body. User-added properties become attributes of every generated FlowFile.',
    category: 'source',
    tags: ['test', 'random', 'generate', 'load'],
    properties: handleList(PROPS),
    relationships: [{ name: REL_SUCCESS.name, description: 'Every generated FlowFile.' }],
    dynamicProperties: {
      description: 'Each user-added property becomes an attribute of every generated FlowFile; Expression Language (environment) is evaluated once per batch.',
      expressionScope: 'environment',
    },
    inputRequirement: 'forbidden',
    defaultSchedule: { strategy: 'timer', period: '1 min' },
    writesAttributes: [{ name: CoreAttributes.MIME_TYPE, description: 'The Mime Type property, when set.' }],
  },

  migrateProperties: migrateGenerateFlowFileProperties,

  validate(config: PropertyValues): ValidationResult[] {
    const custom = config[CUSTOM_TEXT];
    if (custom === undefined || custom === '') return [];
    const unique = config[UNIQUE] === 'true';
    const text = config[DATA_FORMAT] === TEXT;
    if (unique || !text) {
      return [{ property: CUSTOM_TEXT, message: 'Custom Text: if Custom Text is set, then Data Format must be Text and Unique FlowFiles must be false', code: 'invalid' }];
    }
    return [];
  },

  onScheduled(ctx) {
    shared.delete(ctx);
    if (!ctx.get(PROPS[UNIQUE]) && !ctx.property(PROPS[CUSTOM_TEXT]).isSet()) shared.set(ctx, generate(ctx));
  },

  onTrigger(ctx, session) {
    const unique = ctx.get(PROPS[UNIQUE]);
    let data: Uint8Array | null = null;
    if (!unique) {
      const custom = ctx.property(PROPS[CUSTOM_TEXT]);
      if (custom.isSet()) data = encodeText(custom.evaluate().asString() ?? '', ctx.get(PROPS[CHARSET]));
      else {
        data = shared.get(ctx) ?? generate(ctx);
        shared.set(ctx, data);
      }
    }
    const attributes: Record<string, string> = {};
    for (const [name, text] of Object.entries(ctx.dynamicProperties())) attributes[name] = ctx.evaluateExpression(text);
    const mime = ctx.get(PROPS[MIME_TYPE]);
    if (mime) attributes[CoreAttributes.MIME_TYPE] = mime;
    const count = ctx.get(PROPS[BATCH_SIZE]);
    const hasAttributes = Object.keys(attributes).length > 0;
    for (let i = 0; i < count; i++) {
      let ff = session.create();
      const bytes = data ?? generate(ctx);
      if (bytes.length > 0) ff = session.write(ff, bytes);
      if (hasAttributes) ff = session.putAllAttributes(ff, attributes);
      session.transfer(ff, REL_SUCCESS);
    }
  },
});
