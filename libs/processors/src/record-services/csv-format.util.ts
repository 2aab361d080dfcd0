import { handleList, propertyHandles, type ControllerServiceContext, type PropertyDescriptor } from '@sluice/flow-api';

export const CSV_FORMAT = 'CSV Format';
export const VALUE_SEPARATOR = 'Value Separator';
export const RECORD_SEPARATOR = 'Record Separator';
export const QUOTE_CHAR = 'Quote Character';
export const ESCAPE_CHAR = 'Escape Character';
export const NULL_STRING = 'Null String';
export const TRIM_FIELDS = 'Trim Fields';

const custom = [{ property: CSV_FORMAT, values: ['custom'] }];

/** The CSV dialect properties NiFi's reader and writer share; the separators apply to the Custom Format. */
export const CSV_FORMAT_PROPS = propertyHandles([
  {
    name: CSV_FORMAT,
    displayName: 'CSV Format',
    description: 'A predefined dialect, or Custom Format to set the separators and quoting below.',
    type: 'enum',
    required: true,
    default: 'custom',
    allowableValues: [
      { value: 'custom', displayName: 'Custom Format', description: 'The separators and characters configured below.' },
      { value: 'rfc-4180', displayName: 'RFC 4180', description: 'Comma separated, double quotes, CRLF between records.' },
      { value: 'excel', displayName: 'Microsoft Excel', description: 'Comma separated, double quotes.' },
      { value: 'tdf', displayName: 'Tab-Delimited', description: 'Tab separated, double quotes.' },
    ],
    group: 'CSV',
  },
  { name: VALUE_SEPARATOR, displayName: 'Value Separator', description: 'The character between values; \\t for a tab.', type: 'string', required: true, default: ',', dependsOn: custom, group: 'CSV' },
  { name: RECORD_SEPARATOR, displayName: 'Record Separator', description: 'What ends a record; \\n and \\r\\n are accepted.', type: 'string', required: true, default: '\\n', dependsOn: custom, group: 'CSV' },
  { name: QUOTE_CHAR, displayName: 'Quote Character', description: 'The character that encloses values holding separators.', type: 'string', required: true, default: '"', dependsOn: custom, group: 'CSV', validators: [{ kind: 'regex', pattern: '^.$', message: 'must be one character' }] },
  { name: ESCAPE_CHAR, displayName: 'Escape Character', description: 'The character that escapes a quote inside a quoted value; with the default backslash, quotes are doubled instead.', type: 'string', required: true, default: '\\', dependsOn: custom, group: 'CSV', validators: [{ kind: 'regex', pattern: '^.$', message: 'must be one character' }] },
  { name: NULL_STRING, displayName: 'Null String', description: 'A value that stands for null (empty: no value is null).', type: 'string', group: 'CSV' },
  { name: TRIM_FIELDS, displayName: 'Trim Fields', description: 'Whether spaces around values are removed.', type: 'boolean', required: true, default: 'true', group: 'CSV' },
]);

export function csvFormatProperties(): PropertyDescriptor[] {
  return handleList(CSV_FORMAT_PROPS);
}

export interface CsvDialect {
  readonly delimiter: string;
  readonly newline: string;
  readonly quoteChar: string;
  readonly escapeChar: string;
  readonly nullString: string | null;
  readonly trim: boolean;
}

const escapeOf = (escape: string, quote: string): string => (escape === '\\' ? quote : escape);

const unescape = (s: string): string => s.replace(/\\t/g, '\t').replace(/\\r/g, '\r').replace(/\\n/g, '\n');

export function csvDialect(ctx: ControllerServiceContext): CsvDialect {
  const P = CSV_FORMAT_PROPS;
  const format = ctx.get(P[CSV_FORMAT]);
  const common = { nullString: ctx.get(P[NULL_STRING]) || null, trim: ctx.get(P[TRIM_FIELDS]) };
  switch (format) {
    case 'rfc-4180':
      return { delimiter: ',', newline: '\r\n', quoteChar: '"', escapeChar: '"', ...common };
    case 'excel':
      return { delimiter: ',', newline: '\r\n', quoteChar: '"', escapeChar: '"', ...common };
    case 'tdf':
      return { delimiter: '\t', newline: '\n', quoteChar: '"', escapeChar: '"', ...common };
    default:
      return {
        delimiter: unescape(ctx.get(P[VALUE_SEPARATOR])),
        newline: unescape(ctx.get(P[RECORD_SEPARATOR])),
        quoteChar: ctx.get(P[QUOTE_CHAR]),
        // The CSV parser takes one escape: with the default backslash, quotes doubled inside quotes (RFC 4180, what ERPs
        // export) are read and written instead of backslash escapes.
        escapeChar: escapeOf(ctx.get(P[ESCAPE_CHAR]), ctx.get(P[QUOTE_CHAR])),
        ...common,
      };
  }
}
