/**
 * The Firefox build (MV3 background scripts) in Firefox ESR, driven over WebDriver BiDi: sign-in, import,
 * copy from the background page, a tab whose closing stops the connection after the event page slept, and a
 * second tab on the same proxy that holds it until it navigates elsewhere.
 */
import { expect, test } from 'vitest';
import { clickButton, firefoxEnvironment, signInAndImport } from './firefox-harness';

const env = firefoxEnvironment();

test('in Firefox: sign in, import, copy an SSH command, open a web service and stop it when its tab closes', async () => {
  const { firefox } = env.extension;
  const options = await env.extension.openOptionsAt(env.simulator);
  await signInAndImport(options);

  const popup = await env.extension.openPopup();
  await clickButton(popup, /^Connect Garage Pi - SSH/);
  await popup.waitForFunction(() => document.body.innerText.includes('Copied to the clipboard'), {
    timeout: 10_000,
  });
  const [ssh] = env.simulator.liveConnections();
  expect(await popup.$eval('code', (element) => element.textContent)).toBe(
    `ssh -p ${ssh!.listener.port} 127.0.0.1`,
  );

  const opened = env.extension.nextPage();
  await clickButton(popup, /^Connect Garage Pi - Web UI/);
  const tab = await opened;
  await tab.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  const web = env.simulator.liveConnections().find((connection) => connection.listener.kind === 'reverse')!;

  await popup.close();
  await options.close();
  // With no extension page open, the event page is unloaded after its idle timeout.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await tab.close();
  await expect
    .poll(() => env.simulator.calls('device/connect/stop').map((entry) => entry.body), { timeout: 15_000 })
    .toEqual([{ deviceaddress: '80:00:00:00:00:01:2B:02', connectionid: web.connectionId }]);
  expect(web.listener.closed).toBe(true);

  // A second tab on the same proxy keeps the connection after the first closes; taking that tab to
  // another site ends it after the grace.
  const again = await env.extension.openPopup();
  const reopened = env.extension.nextPage();
  await clickButton(again, /^Connect Garage Pi - Web UI/);
  const first = await reopened;
  await first.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  await again.close();
  const second = await firefox.newPage();
  await second.goto(first.url());
  await first.close();
  const liveWeb = () =>
    env.simulator.liveConnections().filter((connection) => connection.listener.kind === 'reverse');
  await new Promise((resolve) => setTimeout(resolve, 7000));
  expect(env.simulator.calls('device/connect/stop')).toHaveLength(1);
  expect(liveWeb()).toHaveLength(1);
  await second.goto(`${env.simulator.url}/__sim/connections`);
  await expect.poll(() => liveWeb().length, { timeout: 15_000 }).toBe(0);
  await second.close();
});
