import { CoreAttributes, defineProcessor, REL_SUCCESS, utf8, type ProcessContext } from '@sluice/flow-api';

export const FILE_SIZE = 'File Size';
export const BATCH_SIZE = 'Batch Size';
export const DATA_FORMAT = 'Data Format';
export const UNIQUE = 'Unique FlowFiles';
export const CUSTOM_TEXT = 'Custom Text';
export const MIME_TYPE = 'Mime Type';

const TEXT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()-_=+/?.,\';:"?<>\n\t ';

/** Random content as NiFi makes it: raw bytes, or characters from a printable alphabet for Text. */
export function randomContent(size: number, format: 'Binary' | 'Text'): Uint8Array {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  if (format === 'Text') for (let i = 0; i < size; i++) bytes[i] = TEXT_ALPHABET.charCodeAt(bytes[i]! % TEXT_ALPHABET.length);
  return bytes;
}

/** The content of each FlowFile of one run: custom text evaluated once, or random bytes. */
function contentSource(ctx: ProcessContext): () => Uint8Array {
  const custom = ctx.property(CUSTOM_TEXT);
  if (custom.isSet()) {
    const bytes = utf8(custom.evaluate().asString() ?? '');
    return () => bytes;
  }
  const size = ctx.property(FILE_SIZE).asDataSize() ?? 0;
  const format = ctx.property(DATA_FORMAT).asString() === 'Binary' ? 'Binary' : 'Text';
  if (ctx.property(UNIQUE).asBoolean()) return () => randomContent(size, format);
  // Without Unique FlowFiles the same random bytes are reused, as in NiFi, so large batches stay cheap.
  const shared = ctx.cache(`content:${size}:${format}`, () => randomContent(size, format));
  return () => shared;
}

export const GenerateFlowFile = defineProcessor({
  descriptor: {
    type: 'GenerateFlowFile',
    version: 1,
    displayName: 'Generate FlowFile',
    description:
      'Creates FlowFiles with random content or custom text on its schedule. Useful for load tests, and for starting a flow ' +
      'with a fixed request body. User-added properties become attributes of every generated FlowFile.',
    category: 'source',
    tags: ['test', 'random', 'generate', 'load'],
    properties: [
      {
        name: CUSTOM_TEXT,
        displayName: 'Custom Text',
        description: 'Content of every generated FlowFile when set (File Size and Data Format are then ignored). Expression Language is evaluated once per run.',
        type: 'string',
        editor: 'textarea',
        expressionScope: 'environment',
      },
      {
        name: FILE_SIZE,
        displayName: 'File Size',
        description: 'Size of the random content of each FlowFile.',
        type: 'dataSize',
        default: '0B',
        required: true,
      },
      {
        name: BATCH_SIZE,
        displayName: 'Batch Size',
        description: 'How many FlowFiles each run creates.',
        type: 'integer',
        default: '1',
        required: true,
        validators: [{ kind: 'range', min: 1, max: 100_000 }],
      },
      {
        name: DATA_FORMAT,
        displayName: 'Data Format',
        description: 'Random bytes, or random printable characters.',
        type: 'enum',
        default: 'Text',
        required: true,
        allowableValues: [
          { value: 'Binary', displayName: 'Binary' },
          { value: 'Text', displayName: 'Text' },
        ],
      },
      {
        name: UNIQUE,
        displayName: 'Unique FlowFiles',
        description: 'New random content for every FlowFile (slower), instead of the same random content reused.',
        type: 'boolean',
        default: 'false',
        required: true,
      },
      {
        name: MIME_TYPE,
        displayName: 'Mime Type',
        description: "Sets the 'mime.type' attribute of every generated FlowFile.",
        type: 'string',
        placeholder: 'application/json',
      },
    ],
    relationships: [{ name: REL_SUCCESS.name, description: 'Every generated FlowFile.' }],
    dynamicProperties: {
      description: 'Each user-added property becomes an attribute of every generated FlowFile; Expression Language is evaluated once per run.',
      expressionScope: 'environment',
    },
    inputRequirement: 'forbidden',
    defaultSchedule: { strategy: 'timer', period: '1 min' },
    writesAttributes: [{ name: CoreAttributes.MIME_TYPE, description: 'The Mime Type property, when set.' }],
  },

  onTrigger(ctx, session) {
    const next = contentSource(ctx);
    const attributes: Record<string, string> = {};
    for (const [name, text] of Object.entries(ctx.dynamicProperties())) attributes[name] = ctx.evaluateExpression(text);
    const mime = ctx.property(MIME_TYPE).asString();
    if (mime) attributes[CoreAttributes.MIME_TYPE] = mime;
    const count = ctx.property(BATCH_SIZE).asInteger() ?? 1;
    const hasAttributes = Object.keys(attributes).length > 0;
    for (let i = 0; i < count; i++) {
      let ff = session.create();
      if (hasAttributes) ff = session.putAllAttributes(ff, attributes);
      const bytes = next();
      if (bytes.length > 0) ff = session.write(ff, bytes);
      session.transfer(ff, REL_SUCCESS);
    }
  },
});
