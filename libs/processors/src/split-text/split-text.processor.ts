import { CoreAttributes, defineProcessor, handleList, propertyHandles, FragmentAttributes, REL_FAILURE, REL_ORIGINAL, utf8, type PropertyValues, type ValidationResult } from '@sluice/flow-api';

export const LINE_SPLIT_COUNT = 'Line Split Count';
export const FRAGMENT_MAX_SIZE = 'Maximum Fragment Size';
export const HEADER_LINE_COUNT = 'Header Line Count';
export const HEADER_MARKER = 'Header Line Marker Characters';
export const REMOVE_TRAILING_NEWLINES = 'Remove Trailing Newlines';
export const SPLIT_LINE_COUNT = 'text.line.count';
export const FRAGMENT_SIZE = 'fragment.size';

/** One line by byte offsets: its length includes the terminator (`\n`, `\r\n` or a lone `\r`) of `crlf` bytes. */
interface Line {
  readonly length: number;
  readonly crlf: number;
  readonly startsWithMarker: boolean;
}

/** NiFi's TextLineDemarcator over the content bytes. */
class Lines {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  next(marker?: Uint8Array): Line | null {
    const b = this.bytes;
    if (this.at >= b.length) return null;
    const start = this.at;
    let i = start;
    let crlf = 0;
    while (i < b.length) {
      if (b[i] === 10) {
        crlf = 1;
        i++;
        break;
      }
      if (b[i] === 13) {
        crlf = b[i + 1] === 10 ? 2 : 1;
        i += crlf;
        break;
      }
      i++;
    }
    this.at = i;
    let startsWithMarker = true;
    if (marker) {
      if (marker.length > i - start) startsWithMarker = false;
      else for (let k = 0; k < marker.length; k++) if (b[start + k] !== marker[k]) startsWithMarker = false;
    }
    return { length: i - start, crlf, startsWithMarker };
  }
}

interface Split {
  readonly start: number;
  readonly length: number;
  /** Length without trailing newlines (for a header: the terminator length of its last line). */
  readonly trimmed: number;
  readonly lineCount: number;
  /** A line read but not taken, which opens the next split. */
  readonly carried: Line | null;
}

class SplitFailure extends Error {}

/** The header: `maxLines` lines, or the leading lines that start with the marker. */
function header(lines: Lines, maxLines: number, marker: Uint8Array | undefined, maxSize: number): Split | null {
  let length = 0;
  let count = 0;
  let lastCrlf = 0;
  let carried: Line | null = null;
  for (let line = lines.next(marker); line; line = lines.next(marker)) {
    lastCrlf = line.crlf;
    if (marker && !line.startsWithMarker) {
      carried = line;
      break;
    }
    if (length + line.length > maxSize) throw new SplitFailure(`the header is larger than ${FRAGMENT_MAX_SIZE} (${maxSize} bytes)`);
    length += line.length;
    count++;
    if (count === maxLines) break;
  }
  // With a marker that no line starts with, the first line is data: it opens the first split.
  if (count === 0) return carried ? { start: 0, length: 0, trimmed: 0, lineCount: 0, carried } : null;
  return { start: 0, length, trimmed: lastCrlf, lineCount: count, carried };
}

/**
 * The next split, NiFi's way: up to `maxLines` lines (0: no limit) and `maxSize` bytes counting the header; a line
 * that would cross the size opens the next split, unless it is alone. Trailing newlines are measured for trimming;
 * text.line.count leaves out every blank line of the split, as NiFi counts.
 */
function nextSplit(lines: Lines, start: number, maxLines: number, previous: Split | null, headerLength: number, maxSize: number): Split | null {
  let length = 0;
  let trailingCrlf = 0;
  let blankLines = 0;
  let count = 0;
  let lastCrlf = 0;
  let carried: Line | null = null;
  if (previous?.carried) {
    length += previous.carried.length;
    count++;
  }
  for (let line = lines.next(); line; line = lines.next()) {
    lastCrlf = line.crlf;
    if (length + line.length + headerLength > maxSize) {
      if (length === 0) {
        length += line.length;
        count++;
      } else carried = line;
      break;
    }
    if (line.length === line.crlf) {
      trailingCrlf += line.crlf;
      blankLines++;
    } else trailingCrlf = 0;
    length += line.length;
    count++;
    if (maxLines > 0 && count >= maxLines) break;
  }
  if (count === 0) return null;
  if (length - trailingCrlf >= lastCrlf) trailingCrlf += lastCrlf;
  return { start, length, trimmed: length - trailingCrlf, lineCount: count - blankLines, carried };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const PROPS = propertyHandles([
  {
    name: LINE_SPLIT_COUNT,
    displayName: 'Line Split Count',
    description: 'Lines per split, not counting header lines. 0 requires Maximum Fragment Size, and splits only by size.',
    type: 'integer',
    required: true,
    validators: [{ kind: 'range', min: 0 }],
  },
  {
    name: FRAGMENT_MAX_SIZE,
    displayName: 'Maximum Fragment Size',
    description: 'The largest split, header included; a single line larger than this is a split of its own.',
    type: 'dataSize',
  },
  {
    name: HEADER_LINE_COUNT,
    displayName: 'Header Line Count',
    description: 'Lines at the start that make the header, copied into every split.',
    type: 'integer',
    required: true,
    default: '0',
    validators: [{ kind: 'range', min: 0 }],
  },
  {
    name: HEADER_MARKER,
    displayName: 'Header Line Marker Characters',
    description: 'Leading lines that start with these characters are the header; ignored when Header Line Count is not 0.',
    type: 'string',
    validators: [{ kind: 'minLength', min: 1 }],
  },
  {
    name: REMOVE_TRAILING_NEWLINES,
    displayName: 'Remove Trailing Newlines',
    description: 'Remove newlines at the end of each split (a split of only newlines is then not emitted). Keep them to merge the splits later.',
    type: 'enum',
    required: true,
    default: 'true',
    allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
  },
]);

export const SplitText = defineProcessor({
  descriptor: {
    type: 'SplitText',
    version: 1,
    displayName: 'Split Text',
    description:
      'Splits text into FlowFiles of at most Line Split Count lines and/or Maximum Fragment Size bytes, on line boundaries, optionally ' +
      'repeating header lines in each split. A single line larger than the size still makes a split of its own.',
    category: 'transform',
    tags: ['split', 'text'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_ORIGINAL.name, description: 'The original FlowFile, once split into 1 or more files (with fragment.identifier and fragment.count).' },
      { name: 'splits', description: 'The split files.' },
      { ...REL_FAILURE, description: 'The original file, when it cannot be split (fewer lines than the header needs, a header over the fragment size).' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: SPLIT_LINE_COUNT, description: 'Lines of the original in this split (blank lines not counted).' },
      { name: FRAGMENT_SIZE, description: 'Bytes of this split, header included.' },
      { name: FragmentAttributes.IDENTIFIER, description: 'The same random id on every split of one FlowFile, and on the original.' },
      { name: FragmentAttributes.INDEX, description: 'The position of the split, from 1 (NiFi counts SplitText splits from 1).' },
      { name: FragmentAttributes.COUNT, description: 'How many splits the FlowFile gave (also on the original; not set on a header-only split, as in NiFi).' },
      { name: FragmentAttributes.SEGMENT_ORIGINAL_FILENAME, description: 'The filename of the original.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    if (config[LINE_SPLIT_COUNT] !== undefined && Number(config[LINE_SPLIT_COUNT]) === 0 && !config[FRAGMENT_MAX_SIZE]) {
      return [{ property: FRAGMENT_MAX_SIZE, message: `${FRAGMENT_MAX_SIZE} must be specified when ${LINE_SPLIT_COUNT} is 0`, code: 'invalid' }];
    }
    return [];
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const maxLines = ctx.get(PROPS[LINE_SPLIT_COUNT]);
    const maxSize = ctx.get(PROPS[FRAGMENT_MAX_SIZE]) ?? Number.MAX_SAFE_INTEGER;
    const headerCount = ctx.get(PROPS[HEADER_LINE_COUNT]);
    const markerText = ctx.get(PROPS[HEADER_MARKER]);
    const trim = ctx.get(PROPS[REMOVE_TRAILING_NEWLINES]) === 'true';
    const bytes = await session.read(original);
    const lines = new Lines(bytes);

    let head: Split | null;
    const splits: Split[] = [];
    try {
      head = headerCount > 0 ? header(lines, headerCount, undefined, maxSize) : markerText ? header(lines, Number.MAX_SAFE_INTEGER, utf8(markerText), maxSize) : null;
      if (headerCount > 0 && head && head.lineCount < headerCount) {
        throw new SplitFailure(`insufficient header lines: required ${headerCount} but was ${head.lineCount}`);
      }
      let offset = head?.length ?? 0;
      for (let s = nextSplit(lines, offset, maxLines, head, head?.length ?? 0, maxSize); s; s = nextSplit(lines, offset, maxLines, s, head?.length ?? 0, maxSize)) {
        splits.push(s);
        offset += s.length;
      }
    } catch (e) {
      if (!(e instanceof SplitFailure)) throw e;
      ctx.log.error(`Unable to split ${original.uuid}: ${e.message}. Routing to failure.`);
      session.transfer(original, REL_FAILURE);
      return;
    }

    const identifier = ctx.services.randomUuid();
    const filename = original.attributes[CoreAttributes.FILENAME] ?? '';
    const headerBytes = head && head.lineCount > 0 ? bytes.subarray(0, head.length) : null;
    const headerOnly = headerBytes ? bytes.subarray(0, head!.length - head!.trimmed) : null;
    const made: { content: Uint8Array; lineCount: number }[] = [];
    for (const s of splits) {
      const length = trim ? s.trimmed : s.length;
      if (!headerBytes && length <= 0) continue;
      const body = bytes.subarray(s.start, s.start + length);
      made.push({ content: headerBytes ? (length > 0 ? concat(headerBytes, body) : headerOnly!) : body, lineCount: s.lineCount });
    }
    const onlyHeader = splits.length === 0 && headerOnly !== null;
    if (onlyHeader) made.push({ content: headerOnly, lineCount: 0 });
    made.forEach(({ content, lineCount }, i) => {
      let split = session.write(session.create(original), content);
      split = session.putAllAttributes(split, {
        [SPLIT_LINE_COUNT]: String(lineCount),
        [FRAGMENT_SIZE]: String(content.length),
        [FragmentAttributes.IDENTIFIER]: identifier,
        [FragmentAttributes.INDEX]: String(i + 1),
        [FragmentAttributes.SEGMENT_ORIGINAL_FILENAME]: filename,
        // NiFi leaves fragment.count off the one split of a FlowFile that is only a header.
        ...(onlyHeader ? {} : { [FragmentAttributes.COUNT]: String(made.length) }),
      });
      session.transfer(split, 'splits');
    });
    session.transfer(session.putAllAttributes(original, { [FragmentAttributes.IDENTIFIER]: identifier, [FragmentAttributes.COUNT]: String(made.length) }), REL_ORIGINAL);
  },
});
