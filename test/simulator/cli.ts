/** `npm run simulator -- [--port N] [--scale N] [--latency MS]`: the simulator as a standalone server. */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from './demo-data';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    scale: { type: 'string' },
    latency: { type: 'string' },
  },
});

const simulator = await startSimulator({
  port: Number(values.port),
  scale: values.scale ? Number(values.scale) : undefined,
  latencyMs: values.latency ? Number(values.latency) : undefined,
});
console.log(`remote.it simulator: ${simulator.apiBase}`);
console.log(`  developer key ${DEMO_DEVELOPER_KEY}`);
console.log(`  sign in as    ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
console.log(`  control       ${simulator.url}/__sim/{log,connections,fault,clear-faults,expire-tokens}`);
