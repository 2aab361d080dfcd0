/**
 * An immutable FlowFile: attributes plus a reference to content held by the content repository.
 * Sessions return a new value for every change; `uuid` never changes for the life of a FlowFile.
 */
export interface FlowFile {
  readonly uuid: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Content claim id in the content repository, or null for empty content. */
  readonly contentClaim: string | null;
  readonly size: number;
  /** Epoch millis when this FlowFile (or its oldest ancestor) entered the flow. */
  readonly lineageStartDate: number;
  /** Epoch millis when the FlowFile entered its current queue. */
  readonly entryDate: number;
  /** uuids of the parents this FlowFile was created from (empty for a root). */
  readonly parentUuids: readonly string[];
  /** Epoch millis until which the FlowFile is penalized (0 when it is not). */
  readonly penaltyExpiration: number;
}

/**
 * A new FlowFile. One entering the flow with no parents (ingress, a test input, a session's `create()`): `filename`
 * is its uuid and `path` is `./` unless the attributes say otherwise. One made from parents has exactly the
 * attributes given (what it inherits) and the lineage start given. `uuid` is always its own.
 */
export function newFlowFile(
  uuid: string,
  now: number,
  init: {
    readonly attributes?: Readonly<Record<string, string>>;
    readonly contentClaim?: string | null;
    readonly size?: number;
    readonly parentUuids?: readonly string[];
    readonly lineageStartDate?: number;
  } = {},
): FlowFile {
  const parentUuids = [...(init.parentUuids ?? [])];
  return {
    uuid,
    attributes: parentUuids.length === 0 ? { filename: uuid, path: './', ...init.attributes, uuid } : { ...init.attributes, uuid },
    contentClaim: init.contentClaim ?? null,
    size: init.size ?? 0,
    lineageStartDate: init.lineageStartDate ?? now,
    entryDate: now,
    parentUuids,
    penaltyExpiration: 0,
  };
}

/** NiFi's core attribute names. */
export const CoreAttributes = {
  UUID: 'uuid',
  FILENAME: 'filename',
  PATH: 'path',
  MIME_TYPE: 'mime.type',
  ENTRY_DATE: 'entryDate',
  LINEAGE_START_DATE: 'lineageStartDate',
  FILE_SIZE: 'fileSize',
} as const;

/** Attributes that describe a fragment produced by a split (SplitJson, SplitText, ...). */
export const FragmentAttributes = {
  IDENTIFIER: 'fragment.identifier',
  INDEX: 'fragment.index',
  COUNT: 'fragment.count',
  SEGMENT_ORIGINAL_FILENAME: 'segment.original.filename',
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
