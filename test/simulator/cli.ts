/** `npm run simulator -- [--port N] [--scale N] [--latency MS] [--shared]`: the simulator as a standalone server. */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
} from './demo-data';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    scale: { type: 'string' },
    latency: { type: 'string' },
    shared: { type: 'boolean' },
  },
});

const simulator = await startSimulator({
  port: Number(values.port),
  scale: values.scale ? Number(values.scale) : undefined,
  latencyMs: values.latency ? Number(values.latency) : undefined,
  sharedDevices: values.shared,
});
console.log(`remote.it simulator: ${simulator.apiBase}`);
console.log(`  developer key ${DEMO_DEVELOPER_KEY}`);
console.log(`  sign in as    ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
console.log(`  GraphQL       ${simulator.graphqlUrl}`);
console.log(`  access key    ${DEMO_ACCESS_KEY_ID}`);
console.log(`  secret        ${DEMO_ACCESS_KEY_SECRET}`);
console.log(`  control       ${simulator.url}/__sim/{log,connections,fault,clear-faults,expire-tokens}`);
