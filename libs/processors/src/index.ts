export * from './registry.js';
// The Integrator's date text (`last.request`, `modified_date__gt`), which the host writes and ReadErpData reads.
export { formatInZone, parseInstant } from './integrator-shared/erp-date.util.js';
// The writers' row rules, so the host can refuse a posted batch for exactly what the writer would fail.
export { toStockRow } from './write-omnitron-stock/write-omnitron-stock.processor.js';
export { toImageItem } from './write-omnitron-images/write-omnitron-images.processor.js';
export * from './controller-services.js';
export { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory, type RecordSetRead } from './record-services/record-service-api.js';
export { MAP_CACHE_CLIENT_API, ATOMIC_MAP_CACHE_CLIENT_API, type MapCacheClientConfig } from './map-cache/map-cache-client.service.js';
