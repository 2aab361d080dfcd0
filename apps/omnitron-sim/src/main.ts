import { startOmnitronSim } from './omnitron-sim.js';

const port = Number(process.env['PORT'] ?? 0);
const sim = await startOmnitronSim({ port });
console.log(`omnitron-sim listening on ${sim.url}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
