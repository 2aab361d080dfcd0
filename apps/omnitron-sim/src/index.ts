export { startOmnitronSim } from './omnitron-sim.js';
export type { OmnitronSimOptions, OmnitronSimHandle, OmnitronSimState, OmnitronCounters, RequestLogEntry } from './omnitron-sim.js';
export { SEED_PRODUCTS, generatedSku } from './catalogue.js';
export type { Product, StockRecord, ImageRecord } from './catalogue.js';
export type { FaultSettings } from '@sluice/sim-kit';
