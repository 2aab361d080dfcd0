import { startErpSim, type ErpAuthMode } from './erp-sim.js';

const port = Number(process.env['PORT'] ?? 0);
const sim = await startErpSim({ port, auth: (process.env['ERP_AUTH'] as ErpAuthMode | undefined) ?? 'jwt' });
console.log(`erp-sim listening on ${sim.url}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
