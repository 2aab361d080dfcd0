import type { PropertyConfiguration, PropertyDescriptor } from '@sluice/flow-api';
import { RECORD_READER_API, RECORD_WRITER_API } from './record-service-api.js';

export const RECORD_READER = 'Record Reader';
export const RECORD_WRITER = 'Record Writer';
export const RECORD_ERROR = 'record.error.message';

export const recordReaderProperty: PropertyDescriptor = {
  name: RECORD_READER,
  displayName: 'Record Reader',
  description: 'The controller service that reads the incoming content as records.',
  type: 'string',
  required: true,
  identifiesControllerService: RECORD_READER_API,
};

export const recordWriterProperty: PropertyDescriptor = {
  name: RECORD_WRITER,
  displayName: 'Record Writer',
  description: 'The controller service that writes the records out.',
  type: 'string',
  required: true,
  identifiesControllerService: RECORD_WRITER_API,
};

/** NiFi 1.x stored these under their old keys; NiFi 2 renamed them to the display names. */
export function migrateRecordProperties(config: PropertyConfiguration, renames: Readonly<Record<string, string>> = {}): void {
  const all: Record<string, string> = { 'record-reader': RECORD_READER, 'record-writer': RECORD_WRITER, ...renames };
  for (const [from, to] of Object.entries(all)) config.renameProperty(from, to);
}
