import { CoreAttributes, defineProcessor, handleList, propertyHandles, REL_FAILURE, REL_ORIGINAL, SqlQueryError, type FlowFile, type PropertyConfiguration } from '@sluice/flow-api';
import { inferFields, inferValueType, RecordFormatError, type Row } from '../record-services/record-schema.util.js';
import { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory } from '../record-services/record-service-api.js';
import { migrateRecordProperties, RECORD_READER, RECORD_WRITER, recordReaderProperty, recordWriterProperty } from '../record-services/record-processor.util.js';

const INCLUDE_ZERO = 'Include Zero Record FlowFiles';
const PRECISION = 'Default Decimal Precision';
const SCALE = 'Default Decimal Scale';
export const ROUTE = 'QueryRecord.Route';
export const TABLE = 'FLOWFILE';
/** Limits of one FlowFile's queries: how long they may run together, and how many rows one result may have. */
export const QUERY_TIMEOUT_MS = 30_000;
export const MAX_RESULT_ROWS = 1_000_000;

/** A record value as SQLite holds it: numbers and text as they are, booleans as 1/0, nested values as JSON text. */
function sqlValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function recordValue(v: unknown): unknown {
  if (v instanceof Uint8Array) {
    let s = '';
    for (const b of v) s += String.fromCharCode(b);
    return btoa(s);
  }
  return v;
}

const PROPS = propertyHandles([
  recordReaderProperty,
  recordWriterProperty,
  {
    name: INCLUDE_ZERO, displayName: INCLUDE_ZERO, type: 'enum', required: true, default: 'true', allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
    description: 'Whether a query whose result has no rows still sends a FlowFile to its relationship.',
  },
  { name: PRECISION, displayName: PRECISION, type: 'integer', required: true, default: '10', expressionScope: 'flowfile', description: "NiFi's precision for DECIMAL results. Kept for NiFi configurations; SQLite has no DECIMAL type, so results are integers or doubles and this has no effect." },
  { name: SCALE, displayName: SCALE, type: 'integer', required: true, default: '0', expressionScope: 'flowfile', description: "NiFi's scale for DECIMAL results. Kept for NiFi configurations; without a DECIMAL type in SQLite it has no effect." },
]);

export const QueryRecord = defineProcessor({
  descriptor: {
    type: 'QueryRecord',
    version: 1,
    displayName: 'Query Record',
    description:
      `Runs SQL over the records of each FlowFile, read by the Record Reader as the table ${TABLE}: every user-added property is a query, ` +
      'and its result, written by the Record Writer, goes to the relationship of the same name. Sluice runs the queries on SQLite ' +
      "(sql.js), not NiFi's Calcite: see the README for where the two differ.",
    category: 'transform',
    tags: ['sql', 'query', 'calcite', 'sqlite', 'select', 'filter', 'record', 'route', 'transform', 'csv', 'json', 'xml'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_ORIGINAL.name, description: 'The original FlowFile, once every query ran.' },
      { ...REL_FAILURE, description: 'The original FlowFile when its records could not be read, a query failed (a column the records lack, a function SQLite does not have) or went past a limit; no query result is sent then.' },
    ],
    dynamicProperties: { description: `A SQL query over the table ${TABLE} (Expression Language against the FlowFile), such as SELECT * FROM ${TABLE} WHERE stock > 0.`, expressionScope: 'flowfile' },
    dynamicRelationships: { description: 'The result of the query of the same name.' },
    inputRequirement: 'required',
    writesAttributes: [
      { name: CoreAttributes.MIME_TYPE, description: "The Record Writer's MIME type, on results." },
      { name: 'record.count', description: 'How many records the query selected.' },
      { name: ROUTE, description: 'The relationship the FlowFile went to.' },
    ],
  },

  migrateProperties(config: PropertyConfiguration): void {
    migrateRecordProperties(config, { 'include-zero-record-flowfiles': INCLUDE_ZERO, 'dbf-default-precision': PRECISION, 'dbf-default-scale': SCALE });
  },

  async onTrigger(ctx, session) {
    let original = session.get();
    if (!original) return;
    const engine = ctx.services.sql;
    if (!engine) throw new Error('QueryRecord: this host has no SQL engine');
    const reader = ctx.controllerService<RecordReaderFactory>(RECORD_READER, RECORD_READER_API);
    const writer = ctx.controllerService<RecordSetWriterFactory>(RECORD_WRITER, RECORD_WRITER_API);
    // The user-added properties: each a query, and a relationship of the same name.
    const named = Object.entries(ctx.dynamicProperties());
    const fail = (ff: FlowFile, message: string) => {
      ctx.log.error(`Unable to query ${ff.uuid}: ${message}`);
      session.transfer(session.putAttribute(ff, ROUTE, REL_FAILURE.name), REL_FAILURE);
    };
    let rows: readonly Row[];
    let columns: string[];
    try {
      const read = reader.read(await session.read(original), original.attributes);
      rows = read.rows;
      columns = read.schema.fields.map((f) => f.name);
      for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
    } catch (e) {
      if (!(e instanceof RecordFormatError)) throw e;
      return fail(original, `Failed to determine Record Schema: ${e.message}`);
    }
    const sql = named.map(([, text]) => ctx.evaluateExpression(text, original));
    let results;
    try {
      results = await engine.query({
        table: { name: TABLE, columns, rows: rows.map((r) => columns.map((c) => sqlValue(r[c]))) },
        queries: sql,
        timeoutMs: QUERY_TIMEOUT_MS,
        maxRows: MAX_RESULT_ROWS,
      });
    } catch (e) {
      if (!(e instanceof SqlQueryError)) throw e;
      return fail(original, `${named[e.index]?.[0] ?? 'query'}: ${e.message}`);
    }
    const includeZero = ctx.get(PROPS[INCLUDE_ZERO]) === 'true';
    const outputs: { rel: string; rows: Row[]; bytes: Uint8Array }[] = [];
    for (let i = 0; i < named.length; i++) {
      const result = results[i]!;
      const out: Row[] = result.rows.map((values) => {
        const row: Row = {};
        result.columns.forEach((c, j) => (row[c] = recordValue(values[j])));
        return row;
      });
      if (out.length === 0 && !includeZero) continue;
      // An empty result still has its columns: typed as text, as nothing says otherwise.
      const fields = inferFields(out.length ? out : [Object.fromEntries(result.columns.map((c) => [c, '']))], inferValueType);
      try {
        outputs.push({ rel: named[i]![0], rows: out, bytes: writer.write(out, { fields }, original.attributes) });
      } catch (e) {
        if (!(e instanceof RecordFormatError)) throw e;
        return fail(original, `${named[i]![0]}: ${e.message}`);
      }
    }
    let written = 0;
    for (const o of outputs) {
      const child = session.write(session.create(original), o.bytes);
      session.transfer(session.putAllAttributes(child, { [CoreAttributes.MIME_TYPE]: writer.mimeType, 'record.count': String(o.rows.length), [ROUTE]: o.rel }), o.rel);
      written += o.rows.length;
    }
    session.adjustCounter('Records Read', rows.length);
    session.adjustCounter('Records Written', written);
    original = session.putAttribute(original, ROUTE, REL_ORIGINAL.name);
    session.transfer(original, REL_ORIGINAL);
  },
});
