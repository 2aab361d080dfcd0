export * from './registry.js';
export * from './controller-services.js';
export { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory, type RecordSetRead } from './record-services/record-service-api.js';
