export * from './registry.js';
// The Integrator's date text (`last.request`, `modified_date__gt`), which the host writes and ReadErpData reads.
export { formatInZone, parseInstant } from './integrator-shared/erp-date.util.js';
// The writers' row rules, so the host can refuse a posted batch for exactly what the writer would fail.
export { toStockRow, WriteOmnitronStock } from './write-omnitron-stock/write-omnitron-stock.processor.js';
export { IntegratorLogin } from './integrator-login/integrator-login.processor.js';
// The Integrator steps' own services, which the host implements and provides under these keys.
export { dryRunRows, EXECUTION_LOG, TOKEN_CACHE, type ExecutionLog, type RowLog, type RowStatus, type TokenCache } from './integrator-shared/integrator-services.js';
export { toImageItem, WriteOmnitronImages } from './write-omnitron-images/write-omnitron-images.processor.js';
export * from './controller-services.js';
export { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory, type RecordSetRead } from './record-services/record-service-api.js';
export { HTTP_CONTEXT_MAP_API, type HttpContextMap } from './http-shared/http-context-map.service.js';
export { SSL_CONTEXT_API, type SslContextProvider } from './http-shared/http-listener.util.js';
export { OAUTH2_PROVIDER_API, type OAuth2AccessTokenProvider } from './http-shared/oauth2-access-token-provider.service.js';
export { MAP_CACHE_CLIENT_API, ATOMIC_MAP_CACHE_CLIENT_API, type MapCacheClientConfig } from './map-cache/map-cache-client.service.js';
