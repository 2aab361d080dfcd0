import type { HttpExchangeDto, ProvenanceContentDto, ProvenanceEventDto, RowJourneyDto, StepFlowFilesDto } from '@sluice/contracts';
import { request } from '../api/client.js';

export type EventWithExchange = ProvenanceEventDto & { exchange: HttpExchangeDto | null };

/** Provenance as the executions screens read it. */
export const provenanceApi = {
  stepFlowFiles: (executionId: string, processorId: string) =>
    request<StepFlowFilesDto>('GET', `/executions/${encodeURIComponent(executionId)}/steps/${encodeURIComponent(processorId)}/flowfiles`),
  event: (eventId: number) => request<EventWithExchange>('GET', `/provenance/events/${eventId}`),
  content: (eventId: number, offset = 0, length = 64 * 1024) => request<ProvenanceContentDto>('GET', `/provenance/events/${eventId}/content?offset=${offset}&length=${length}`),
  lineage: (uuid: string) => request<{ events: ProvenanceEventDto[]; truncated: boolean }>('GET', `/provenance/lineage/${encodeURIComponent(uuid)}/graph`),
  rowJourney: (executionId: string, rowId: number) => request<RowJourneyDto>('GET', `/executions/${encodeURIComponent(executionId)}/rows/${rowId}/journey`),
};
