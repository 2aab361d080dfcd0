export { startErpSim } from './erp-sim.js';
export type { ErpSimOptions, ErpSimHandle, ErpSimState, ErpAuthMode, ErpRequestLogEntry } from './erp-sim.js';
export { SEED_STOCK, SEED_IMAGES, formatErpDate, parseErpDate } from './erp-data.js';
export type { ErpStockRow, ErpImageRow } from './erp-data.js';
export type { FaultSettings } from '@sluice/sim-kit';
