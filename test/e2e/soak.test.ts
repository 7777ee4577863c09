/**
 * 50 connect/close cycles with the service worker stopped at random points: every connection is stopped
 * exactly once on remote.it and nothing is left live. The seed is printed so a failure can be replayed.
 */
import { expect, test } from 'vitest';
import { signedInEnvironment } from './fixtures';

const env = signedInEnvironment();
const CYCLES = 50;
const SERVICES = ['80:00:00:00:00:01:2B:02', '80:00:00:00:00:03:2B:01'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test(`${CYCLES} connect/close cycles with the worker stopped at random points leave no connection behind`, async () => {
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
  console.log(`soak seed ${seed} (rerun with SOAK_SEED=${seed})`);
  const chance = random(seed);
  const { extension, simulator } = env;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    if (chance() < 0.3) await extension.stopWorker();
    const opened = extension.context.waitForEvent('page');
    const reply = (await extension.request({
      type: 'connect',
      serviceId: SERVICES[cycle % SERVICES.length],
    })) as { ok: boolean };
    expect(reply.ok).toBe(true);
    const tab = await opened;
    if (chance() < 0.3) await extension.stopWorker();
    await tab.close();
    if (chance() < 0.3) await extension.stopWorker();
  }
  await expect
    .poll(() => simulator.liveConnections().length, { timeout: 45_000 })
    .toBe(0)
    .catch(async (error: unknown) => {
      const leaked = simulator
        .liveConnections()
        .map(({ connectionId, createdAt }) => ({ connectionId, createdAt }));
      console.log('LEAKED', JSON.stringify(leaked), JSON.stringify(await extension.storage()));
      throw error;
    });

  const connects = simulator.calls('device/connect').filter((entry) => entry.status === 200);
  const stops = simulator.calls('device/connect/stop').filter((entry) => entry.status === 200);
  expect(connects).toHaveLength(CYCLES);
  const stopped = stops.map((entry) => (entry.body as { connectionid: string }).connectionid).sort();
  const created = connects.map((entry) => (entry.response as { connectionid: string }).connectionid).sort();
  expect(stopped).toEqual(created);
  // A worker killed between a stop landing and its queue entry being cleared sends that stop again when it
  // wakes; remote.it then answers "not found", which ends it. So the extension's own state settles a little
  // after the server's: wait for it, and count only successful stops above.
  await expect
    .poll(
      async () => {
        const local = await extension.storage();
        return [local.connections, local.pendingStops];
      },
      { timeout: 45_000 },
    )
    .toEqual([{}, {}]);
});
