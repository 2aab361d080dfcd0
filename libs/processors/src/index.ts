export * from './registry.js';
// The Integrator's date text (`last.request`, `modified_date__gt`), which the host writes and ReadErpData reads.
export { formatInZone, parseInstant } from './integrator-shared/erp-date.util.js';
