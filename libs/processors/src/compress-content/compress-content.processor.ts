import { handleList, propertyHandles, CompressionError, CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, type PropertyValues, type ValidationResult } from '@sluice/flow-api';

export const MODE = 'Mode';
export const FORMAT = 'Compression Format';
export const LEVEL = 'Compression Level';
export const UPDATE_FILENAME = 'Update Filename';
export const MAX_DECOMPRESSED = 'Maximum Decompressed Size';

const FROM_MIME = 'use mime.type attribute';
const COMPRESS = 'compress';
const DECOMPRESS = 'decompress';

/** NiFi's formats: extension and the mime.type compressing writes (deflate's application/gzip is NiFi's own choice). */
const FORMATS: Record<string, { ext: string; mime: string }> = {
  gzip: { ext: '.gz', mime: 'application/gzip' },
  deflate: { ext: '.zlib', mime: 'application/gzip' },
  bzip2: { ext: '.bz2', mime: 'application/x-bzip2' },
  'xz-lzma2': { ext: '.xz', mime: 'application/x-xz' },
  lzma: { ext: '.lzma', mime: 'application/x-lzma' },
  snappy: { ext: '.snappy', mime: 'application/x-snappy' },
  'snappy-hadoop': { ext: '.snappy', mime: 'application/x-snappy-hadoop' },
  'snappy framed': { ext: '.sz', mime: 'application/x-snappy-framed' },
  'lz4-framed': { ext: '.lz4', mime: 'application/x-lz4-framed' },
  zstd: { ext: '.zst', mime: 'application/zstd' },
  brotli: { ext: '.br', mime: 'application/x-brotli' },
};

/** mime.type values that name a format, for 'use mime.type attribute'. */
const BY_MIME: Record<string, string> = {
  'application/gzip': 'gzip', 'application/x-gzip': 'gzip', 'application/deflate': 'deflate', 'application/x-deflate': 'deflate',
  'application/bzip2': 'bzip2', 'application/x-bzip2': 'bzip2', 'application/x-lzma': 'lzma', 'application/x-xz': 'xz-lzma2',
  'application/x-snappy': 'snappy', 'application/x-snappy-hadoop': 'snappy-hadoop', 'application/x-snappy-framed': 'snappy framed',
  'application/x-lz4-framed': 'lz4-framed', 'application/zstd': 'zstd', 'application/x-brotli': 'brotli',
};

/** The formats Sluice's server codes (Node's zlib); the others are refused in validation. */
export const SUPPORTED_FORMATS = ['gzip', 'deflate', 'brotli'];
const unsupported = (format: string) =>
  `${FORMAT} '${format}' is not supported: Sluice compresses with Node's zlib, which codes ${SUPPORTED_FORMATS.join(', ')}`;

const PROPS = propertyHandles([
  {
    name: MODE,
    displayName: 'Mode',
    description: 'Whether to compress or decompress the content.',
    type: 'enum',
    required: true,
    default: COMPRESS,
    allowableValues: [{ value: COMPRESS, displayName: COMPRESS }, { value: DECOMPRESS, displayName: DECOMPRESS }],
  },
  {
    name: FORMAT,
    displayName: 'Compression Format',
    description: `The compression format. Sluice supports ${SUPPORTED_FORMATS.join(', ')} and '${FROM_MIME}'; NiFi's other formats are refused.`,
    type: 'enum',
    required: true,
    default: FROM_MIME,
    allowableValues: [FROM_MIME, ...Object.keys(FORMATS)].map((v) => ({ value: v, displayName: v })),
  },
  {
    name: LEVEL,
    displayName: 'Compression Level',
    description: '0 (fastest, for gzip no compression) to 9 (smallest); brotli uses it as its quality.',
    type: 'enum',
    required: true,
    default: '1',
    allowableValues: Array.from({ length: 10 }, (_, i) => ({ value: String(i), displayName: String(i) })),
    dependsOn: [
      { property: FORMAT, values: [FROM_MIME, 'gzip', 'deflate', 'xz-lzma2', 'zstd', 'brotli'] },
      { property: MODE, values: [COMPRESS] },
    ],
  },
  {
    name: UPDATE_FILENAME,
    displayName: 'Update Filename',
    description: "Add the format's extension when compressing; remove it (when present) when decompressing.",
    type: 'enum',
    required: true,
    default: 'false',
    allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
  },
  {
    name: MAX_DECOMPRESSED,
    displayName: 'Maximum Decompressed Size',
    description: 'Sluice: content that would inflate past this goes to failure, so a small archive cannot fill the server\'s memory.',
    type: 'dataSize',
    required: true,
    default: '256 MB',
    dependsOn: [{ property: MODE, values: [DECOMPRESS] }],
  },
]);

export const CompressContent = defineProcessor({
  descriptor: {
    type: 'CompressContent',
    version: 1,
    displayName: 'Compress Content',
    description:
      "Compresses or decompresses the content (gzip, deflate, brotli) and sets mime.type. With 'use mime.type attribute' the format " +
      "comes from the FlowFile's mime.type, and content whose mime.type names no compression passes on untouched.",
    category: 'transform',
    tags: ['content', 'compress', 'decompress', 'gzip', 'deflate', 'brotli'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles compressed or decompressed (or passed on when mime.type names no compression).' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be compressed or decompressed, or have no mime.type to go by.' },
    ],
    inputRequirement: 'required',
    readsAttributes: [{ name: CoreAttributes.MIME_TYPE, description: "The format, with 'use mime.type attribute'." }],
    writesAttributes: [
      { name: CoreAttributes.MIME_TYPE, description: "Compress: the format's MIME type. Decompress: removed, as the type is no longer known." },
      { name: CoreAttributes.FILENAME, description: 'With Update Filename, the extension added or removed.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const format = config[FORMAT]!;
    const mode = config[MODE];
    if (format === 'snappy-hadoop' && mode === DECOMPRESS) {
      return [{ property: FORMAT, message: '<Compression Format> set to <snappy-hadoop> and <MODE> set to <decompress> is not permitted: data compressed with Snappy Hadoop cannot be decompressed by this processor', code: 'invalid' }];
    }
    if (format !== FROM_MIME && !SUPPORTED_FORMATS.includes(format)) return [{ property: FORMAT, message: unsupported(format), code: 'invalid' }];
    return [];
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const mode = ctx.get(PROPS[MODE]);
    let format = ctx.get(PROPS[FORMAT]);
    if (format === FROM_MIME) {
      const mime = flowFile.attributes[CoreAttributes.MIME_TYPE];
      if (mime === undefined) {
        ctx.log.error(`No mime.type attribute exists for ${flowFile.uuid}; routing to failure`);
        session.transfer(flowFile, REL_FAILURE);
        return;
      }
      const named = BY_MIME[mime];
      if (!named) {
        ctx.log.info(`Mime Type of ${flowFile.uuid} is '${mime}', which does not indicate a supported Compression Format; routing to success without decompressing`);
        session.transfer(flowFile, REL_SUCCESS);
        return;
      }
      format = named;
    }
    const codec = ctx.services.compression;
    if (!codec) throw new Error('CompressContent needs the server\'s compression codecs, which this host does not provide');
    if (!codec.formats.includes(format)) {
      ctx.log.error(`${unsupported(format)}; routing ${flowFile.uuid} to failure`);
      session.transfer(flowFile, REL_FAILURE);
      return;
    }
    const data = await session.read(flowFile);
    let out: Uint8Array;
    try {
      out = mode === COMPRESS
        ? await codec.compress(format, data, Number(ctx.get(PROPS[LEVEL])))
        : await codec.decompress(format, data, ctx.get(PROPS[MAX_DECOMPRESSED]));
    } catch (e) {
      if (!(e instanceof CompressionError)) throw e;
      ctx.log.error(`Unable to ${mode} ${flowFile.uuid} using ${format} compression format due to ${e.message}; routing to failure`);
      session.transfer(flowFile, REL_FAILURE);
      return;
    }
    flowFile = session.write(flowFile, out);
    const { ext, mime } = FORMATS[format]!;
    const filename = flowFile.attributes[CoreAttributes.FILENAME] ?? '';
    const rename = ctx.get(PROPS[UPDATE_FILENAME]) === 'true';
    if (mode === DECOMPRESS) {
      flowFile = session.removeAttribute(flowFile, CoreAttributes.MIME_TYPE);
      if (rename && filename.toLowerCase().endsWith(ext)) flowFile = session.putAttribute(flowFile, CoreAttributes.FILENAME, filename.slice(0, -ext.length));
    } else {
      flowFile = session.putAttribute(flowFile, CoreAttributes.MIME_TYPE, mime);
      if (rename) flowFile = session.putAttribute(flowFile, CoreAttributes.FILENAME, filename + ext);
    }
    ctx.log.info(`Successfully ${mode}ed ${flowFile.uuid} using ${format} compression format; size changed from ${data.length} to ${out.length} bytes`);
    session.transfer(flowFile, REL_SUCCESS);
  },
});
