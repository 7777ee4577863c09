/**
 * The lifecycle under abuse: connect/use/end cycles over web and port services, with the service worker
 * stopped at random points, faults injected at random on connect and on stop, new tabs opened from
 * connection tabs, and tabs navigated away. Afterwards nothing may be live on the simulator and nothing left
 * in storage. `npm test` runs a short soak; `npm run soak` runs 200 cycles. The seed is printed so a failure
 * can be replayed with SOAK_SEED.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fault } from '../simulator/faults';
import { signedInEnvironment } from './fixtures';

const env = signedInEnvironment({ requestTimeoutSec: 3 });
const CYCLES = Number(process.env.SOAK_CYCLES ?? 30);
const WEB_SERVICES = ['80:00:00:00:00:01:2B:02', '80:00:00:00:00:03:2B:01'];
const PORT_SERVICES = [
  '80:00:00:00:00:01:2B:01',
  '80:00:00:00:00:02:2B:01',
  '80:00:00:00:00:02:2B:02',
  '80:00:00:00:00:03:2B:02',
];
const FAULTS: Fault[] = [
  'down',
  'html-500',
  'html-404',
  'malformed-json',
  'status-false-no-reason',
  'slow',
  'expired-token',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Reply = { ok: true; value: { action: string; proxy: string } } | { ok: false };

test(`${CYCLES} cycles with faults, worker stops, new tabs and navigations leave nothing behind`, async () => {
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
  console.log(`soak seed ${seed} (rerun with SOAK_SEED=${seed})`);
  const chance = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(chance() * items.length)]!;
  const { extension, simulator } = env;
  const { context } = extension;
  const maybeStopWorker = async () => {
    if (chance() < 0.25) await extension.stopWorker();
  };
  const maybeFault = (path: string) => {
    if (chance() < 0.3) simulator.addFault({ fault: pick(FAULTS), path, times: 1, delayMs: 4_000 });
  };
  /** Tabs navigated away from their proxy: left open, so only the grace can end their connection. */
  const wandered: Page[] = [];

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const web = chance() < 0.6;
    const serviceId = pick(web ? WEB_SERVICES : PORT_SERVICES);
    maybeFault('device/connect');
    maybeFault('device/connect/stop');
    await maybeStopWorker();
    const before = new Set(context.pages());
    const reply = (await extension.request({ type: 'connect', serviceId })) as Reply;
    if (!reply.ok) continue;
    if (reply.value.action === 'copied') {
      await maybeStopWorker();
      const { connections } = (await extension.storage()) as {
        connections: Record<string, { serviceId: string }>;
      };
      const id = Object.keys(connections).find((key) => connections[key]!.serviceId === serviceId);
      if (chance() < 0.7 && id) await extension.request({ type: 'stop', connectionId: id });
      else await extension.request({ type: 'stop-all' });
      continue;
    }
    await expect.poll(() => context.pages().some((page) => !before.has(page))).toBe(true);
    const tab = context.pages().find((page) => !before.has(page))!;
    // What the tab shows is not under test here; a page that never loads is simply closed.
    const loaded = await tab.waitForLoadState('load', { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!loaded) console.log(`cycle ${cycle}: ${tab.url()} did not load`);
    await maybeStopWorker();
    const action = loaded ? chance() : 0;
    if (action < 0.35) {
      await tab.close();
    } else if (action < 0.55) {
      await tab.goto(`${simulator.url}/__sim/connections`);
      wandered.push(tab);
    } else if (action < 0.75) {
      const details = context.waitForEvent('page');
      await tab.getByRole('link', { name: 'Open details in a new tab' }).click();
      const second = await details;
      await second.waitForLoadState();
      await tab.close();
      await maybeStopWorker();
      await second.close();
    } else {
      await tab.bringToFront();
      const elsewhere = await context.newPage();
      await elsewhere.goto(`${simulator.url}/__sim/log`);
      await tab.close();
      await maybeStopWorker();
      await elsewhere.close();
    }
    await maybeStopWorker();
    if (wandered.length > 3) for (const page of wandered.splice(0)) await page.close();
  }
  simulator.clearFaults();

  const settle = async () => {
    const local = (await extension.storage()) as Record<string, object | undefined>;
    const records = ['connections', 'pendingStops', 'connecting'].reduce(
      (sum, key) => sum + Object.keys(local[key] ?? {}).length,
      0,
    );
    return { live: simulator.liveConnections().length, records };
  };
  await expect
    .poll(settle, { timeout: 90_000, interval: 1_000 })
    .toEqual({ live: 0, records: 0 })
    .catch(async (error: unknown) => {
      console.log('LEFT BEHIND', JSON.stringify(simulator.liveConnections().map((c) => c.connectionId)));
      console.log(JSON.stringify(await extension.storage()));
      throw error;
    });
  const made = [...simulator.connections.values()];
  const connects = made.length;
  const stops = made.filter((connection) => connection.endReason === 'stopped').length;
  const { live, records } = await settle();
  console.log(
    `soak: ${CYCLES} cycles, ${connects} connects, ${stops} stops, ${live} connections left live, ${records} records left`,
  );
  for (const page of wandered) await page.close();
});
