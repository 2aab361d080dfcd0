/** Sluice's record model: rows are plain objects; a schema says which fields they have and of what type. */
export type DataType =
  | { readonly kind: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string' | 'bytes' }
  | { readonly kind: 'record'; readonly name?: string; readonly fields: readonly RecordField[] }
  | { readonly kind: 'array'; readonly items: DataType }
  | { readonly kind: 'map'; readonly values: DataType }
  | { readonly kind: 'enum'; readonly symbols: readonly string[] }
  | { readonly kind: 'choice'; readonly options: readonly DataType[] };

export interface RecordField {
  readonly name: string;
  readonly type: DataType;
  readonly default?: unknown;
}

export interface RecordSchema {
  readonly name?: string;
  readonly fields: readonly RecordField[];
}

export type Row = Record<string, unknown>;

/** Content or a schema that could not be read or written; the message says what was wrong. */
export class RecordFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordFormatError';
  }
}

const T = (kind: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string' | 'bytes'): DataType => ({ kind });
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** The type of a value read from text (CSV, XML): NiFi infers numbers and booleans from textual data. */
export function inferTextType(text: string): DataType {
  const t = text.trim();
  if (t === '') return T('string');
  if (t === 'true' || t === 'false') return T('boolean');
  // A leading zero ("00123", a SKU) stays text: reading it as a number would lose the zeros.
  if (/^-?(0|[1-9]\d*)$/.test(t)) {
    const n = Number(t);
    if (!Number.isSafeInteger(n)) return T('string');
    return n >= INT_MIN && n <= INT_MAX ? T('int') : T('long');
  }
  if (/^-?(0|[1-9]\d*)\.\d+([eE][-+]?\d+)?$/.test(t) && Number.isFinite(Number(t))) return T('double');
  return T('string');
}

/** The type of a JSON value. */
export function inferValueType(v: unknown): DataType {
  if (v === null || v === undefined) return T('null');
  if (typeof v === 'boolean') return T('boolean');
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v >= INT_MIN && v <= INT_MAX ? T('int') : T('long');
    return T('double');
  }
  if (typeof v === 'string') return T('string');
  if (Array.isArray(v)) {
    let items: DataType = T('null');
    for (const x of v) items = widen(items, inferValueType(x));
    return { kind: 'array', items: items.kind === 'null' ? T('string') : items };
  }
  return { kind: 'record', fields: inferFields([v as Row], inferValueType) };
}

/** The narrowest type both values fit: int+long is long, numbers+double is double, anything else mixed is a choice. */
export function widen(a: DataType, b: DataType): DataType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind) {
    if (a.kind === 'record' && b.kind === 'record') return { kind: 'record', fields: mergeFields(a.fields, b.fields) };
    if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', items: widen(a.items, b.items) };
    return a;
  }
  // A repeated XML element next to a single one: the single value is a one-item array.
  if (a.kind === 'array' && b.kind !== 'array') return { kind: 'array', items: widen(a.items, b) };
  if (b.kind === 'array' && a.kind !== 'array') return { kind: 'array', items: widen(b.items, a) };
  const numeric = ['int', 'long', 'float', 'double'];
  if (numeric.includes(a.kind) && numeric.includes(b.kind)) return numeric.indexOf(a.kind) > numeric.indexOf(b.kind) ? a : b;
  if (a.kind === 'string' || b.kind === 'string') {
    const other = a.kind === 'string' ? b : a;
    // Text read from CSV/XML that is sometimes a number stays text.
    if (['boolean', 'int', 'long', 'float', 'double'].includes(other.kind)) return T('string');
  }
  const options = a.kind === 'choice' ? [...a.options] : [a];
  for (const o of b.kind === 'choice' ? b.options : [b]) if (!options.some((x) => x.kind === o.kind)) options.push(o);
  return { kind: 'choice', options };
}

function mergeFields(a: readonly RecordField[], b: readonly RecordField[]): RecordField[] {
  const out = a.map((f) => ({ ...f }));
  for (const f of b) {
    const i = out.findIndex((x) => x.name === f.name);
    if (i < 0) out.push({ ...f });
    else out[i] = { name: f.name, type: widen(out[i]!.type, f.type) };
  }
  return out;
}

/** Infers a schema over every row (NiFi's Infer Schema reads the whole content), fields in first-seen order. */
export function inferFields(rows: readonly Row[], typeOf: (v: unknown) => DataType): RecordField[] {
  const order: string[] = [];
  const types = new Map<string, DataType>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      const t = typeOf(v);
      const prev = types.get(k);
      if (prev === undefined) {
        order.push(k);
        types.set(k, t);
      } else types.set(k, widen(prev, t));
    }
  }
  return order.map((name) => {
    const t = types.get(name)!;
    return { name, type: t.kind === 'null' ? T('string') : t };
  });
}

// ---- Avro schema text ----

/** Parses an Avro record schema (JSON), as NiFi's 'Schema Text' holds it. */
export function parseAvroSchema(text: string): RecordSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RecordFormatError(`Schema Text is not JSON: ${(e as Error).message}`);
  }
  const t = avroType(json, 'schema');
  if (t.kind !== 'record') throw new RecordFormatError("Schema Text must be an Avro schema of type 'record'");
  return { name: t.name, fields: t.fields };
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes']);

function avroType(json: unknown, where: string): DataType {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return T(json as 'string');
    throw new RecordFormatError(`${where}: unknown Avro type '${json}'`);
  }
  if (Array.isArray(json)) {
    const options = json.map((x, i) => avroType(x, `${where}[${i}]`));
    const nonNull = options.filter((o) => o.kind !== 'null');
    if (nonNull.length === 1) return { kind: 'choice', options };
    return { kind: 'choice', options };
  }
  if (json === null || typeof json !== 'object') throw new RecordFormatError(`${where}: not an Avro type`);
  const o = json as Record<string, unknown>;
  switch (o.type) {
    case 'record': {
      if (!Array.isArray(o.fields)) throw new RecordFormatError(`${where}: an Avro record needs a 'fields' array`);
      const fields = o.fields.map((f, i) => {
        const fo = f as Record<string, unknown>;
        if (typeof fo?.name !== 'string' || fo.name === '') throw new RecordFormatError(`${where}.fields[${i}]: a field needs a name`);
        return { name: fo.name, type: avroType(fo.type, `${where}.${fo.name}`), ...('default' in fo ? { default: fo.default } : {}) };
      });
      return { kind: 'record', name: typeof o.name === 'string' ? o.name : undefined, fields };
    }
    case 'array':
      return { kind: 'array', items: avroType(o.items, `${where}.items`) };
    case 'map':
      return { kind: 'map', values: avroType(o.values, `${where}.values`) };
    case 'enum':
      if (!Array.isArray(o.symbols)) throw new RecordFormatError(`${where}: an Avro enum needs 'symbols'`);
      return { kind: 'enum', symbols: o.symbols.map(String) };
    case 'fixed':
      return T('bytes');
    default:
      return avroType(o.type, where);
  }
}

// ---- coercion ----

/**
 * Converts a value to a field's type, as NiFi's readers do with a schema: text becomes numbers and booleans,
 * numbers become text. A value that cannot be converted is an error naming the field.
 */
export function coerce(value: unknown, type: DataType, field: string): unknown {
  if (value === undefined || value === null) return null;
  // An empty CSV/XML value of a number or boolean field has no value.
  if (typeof value === 'string' && value.trim() === '' && ['boolean', 'int', 'long', 'float', 'double', 'enum'].includes(type.kind)) return null;
  switch (type.kind) {
    case 'null':
      return null;
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      break;
    case 'int':
    case 'long': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
      if (Number.isInteger(n) && (type.kind === 'long' || (n >= INT_MIN && n <= INT_MAX))) return n;
      break;
    }
    case 'float':
    case 'double': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isFinite(n)) return n;
      break;
    }
    case 'bytes':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'enum':
      if (typeof value === 'string' && type.symbols.includes(value)) return value;
      break;
    case 'array':
      if (Array.isArray(value)) return value.map((x, i) => coerce(x, type.items, `${field}[${i}]`));
      return [coerce(value, type.items, `${field}[0]`)];
    case 'map':
      if (typeof value === 'object' && !Array.isArray(value)) {
        return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, coerce(v, type.values, `${field}.${k}`)]));
      }
      break;
    case 'record':
      if (typeof value === 'object' && !Array.isArray(value)) return coerceRow(value as Row, type, field);
      break;
    case 'choice': {
      const options = type.options.filter((o) => o.kind !== 'null');
      const exact = options.find((o) => o.kind === inferValueType(value).kind);
      for (const o of exact ? [exact, ...options] : options) {
        try {
          return coerce(value, o, field);
        } catch {
          // try the next branch of the union
        }
      }
      break;
    }
  }
  throw new RecordFormatError(`field '${field}': ${JSON.stringify(value)} cannot be read as ${describeType(type)}`);
}

/** A row with exactly the schema's fields, in schema order; missing fields take their default or null. */
export function coerceRow(row: Row, schema: { readonly fields: readonly RecordField[] }, prefix = ''): Row {
  const out: Row = {};
  for (const f of schema.fields) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    out[f.name] = f.name in row ? coerce(row[f.name], f.type, path) : f.default !== undefined ? f.default : null;
  }
  return out;
}

export function describeType(t: DataType): string {
  if (t.kind === 'array') return `array of ${describeType(t.items)}`;
  if (t.kind === 'choice') return t.options.map(describeType).join(' or ');
  return t.kind;
}

/** A stable text for a schema, so MergeRecord bins only records of the same schema (as NiFi does). */
export function schemaKey(schema: RecordSchema): string {
  return JSON.stringify(schema.fields);
}
