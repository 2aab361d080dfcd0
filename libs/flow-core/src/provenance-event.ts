import type { FlowFile } from '@sluice/flow-api';
import type { ProvenanceEvent, ProvenanceEventType } from './ports.js';

export interface ProvenanceEventDetails {
  readonly relationship?: string | null;
  readonly details?: string | null;
  readonly transitUri?: string;
  readonly childUuids?: string[];
}

/** One provenance event about a FlowFile as it is at `timestamp`. */
export function provenanceEvent(
  flowId: string,
  processorId: string,
  eventType: ProvenanceEventType,
  flowFile: FlowFile,
  timestamp: number,
  more: ProvenanceEventDetails = {},
): ProvenanceEvent {
  const e: ProvenanceEvent = {
    eventType,
    flowId,
    processorId,
    flowFileUuid: flowFile.uuid,
    relationship: more.relationship ?? null,
    parentUuids: flowFile.parentUuids as string[],
    childUuids: more.childUuids ?? [],
    details: more.details ?? null,
    timestamp,
    attributes: flowFile.attributes as Record<string, string>,
    size: flowFile.size,
    contentClaim: flowFile.contentClaim,
  };
  if (more.transitUri !== undefined) e.transitUri = more.transitUri;
  return e;
}
