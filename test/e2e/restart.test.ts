/** After the browser restarts, a restored tab on a proxy keeps its connection; a connection without one ends. */
import { expect, test } from 'vitest';
import { signedInEnvironment } from './fixtures';

const env = signedInEnvironment();

function stoppedIds(): string[] {
  return env.simulator
    .calls('device/connect/stop')
    .filter((entry) => entry.status === 200)
    .map((entry) => (entry.body as { connectionid: string }).connectionid);
}

test('a restored proxy tab keeps its connection; one whose tab had left the proxy is stopped', async () => {
  const { extension, simulator } = env;
  const popup = await extension.openPopup();
  const opened = extension.context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Connect Garage Pi - Web UI' }).click();
  const kept = await opened;
  await kept.waitForLoadState();
  const leaving = extension.context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Connect Home NAS - Admin' }).click();
  const wandered = await leaving;
  await wandered.waitForLoadState();
  await popup.close();
  const [keptConnection, wanderedConnection] = simulator.liveConnections();
  // Navigated away just before the browser quits: it comes back on another site.
  await wandered.goto(`${simulator.url}/__sim/connections`);

  await extension.restartBrowser();
  const restored = extension.context.pages().find((page) => page.url().includes('.p18.localhost'));
  expect(restored, 'Chromium restored the proxy tab').toBeDefined();
  await expect.poll(() => stoppedIds(), { timeout: 15_000 }).toEqual([wanderedConnection!.connectionId]);
  // Well past the grace, the restored tab still holds its connection.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(simulator.liveConnections().map((connection) => connection.connectionId)).toEqual([
    keptConnection!.connectionId,
  ]);
  const { connections } = (await extension.storage()) as {
    connections: Record<string, { tabIds: number[] }>;
  };
  expect(connections[keptConnection!.connectionId]?.tabIds).toHaveLength(1);

  await restored!.close();
  await expect.poll(() => simulator.liveConnections().length, { timeout: 10_000 }).toBe(0);
});
