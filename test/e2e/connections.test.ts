/** The connection lifecycle in Chromium against the simulator, judged by the simulator's call log. */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { signedInEnvironment } from './fixtures';
import { readBanner } from '../simulator/read-banner';

const env = signedInEnvironment({ requestTimeoutSec: 3 });

const WEB = '80:00:00:00:00:01:2B:02';
const SSH = '80:00:00:00:00:01:2B:01';

function stops() {
  return env.simulator.calls('device/connect/stop').filter((entry) => entry.status === 200);
}

describe('web services open in a tab and stop when it closes', () => {
  test('the tab loads the proxied page; closing it stops the same connection and closes the listener', async () => {
    const popup = await env.extension.openPopup();
    const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    expect(await tab.title()).toBe('Garage Pi - Web UI');
    const [live] = env.simulator.liveConnections();
    expect(new URL(tab.url()).hostname).toMatch(/\.p18\.localhost$/);
    await expect.poll(() => env.extension.badgeText()).toBe('1');
    await popup.getByText('Active connections (1)').waitFor();

    await tab.close();
    await expect.poll(() => stops().length).toBe(1);
    expect(stops()[0]!.body).toEqual({ deviceaddress: WEB, connectionid: live!.connectionId });
    expect(live!.listener.closed).toBe(true);
    await expect.poll(() => env.extension.badgeText()).toBe('');
  });

  test('closing the tab stops the connection even when the service worker was stopped first', async () => {
    const popup = await env.extension.openPopup();
    const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    await popup.close();
    await env.extension.stopWorker();
    await tab.close();
    await expect.poll(() => stops().length).toBe(1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
    expect((await env.extension.storage()).connections).toEqual({});
  });

  test('a tab opened from the proxied page keeps the connection until the last tab closes', async () => {
    const popup = await env.extension.openPopup();
    const first = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    const second = env.extension.context.waitForEvent('page');
    await first.getByRole('link', { name: 'Open details in a new tab' }).click();
    const details = await second;
    await details.waitForLoadState();
    expect(await details.title()).toBe('Garage Pi - Web UI: details');

    await first.close();
    await env.extension.stopWorker();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stops()).toHaveLength(0);
    expect(env.simulator.liveConnections()).toHaveLength(1);

    await details.close();
    await expect.poll(() => stops().length).toBe(1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('closing the popup while the API works loses nothing: the tab still opens and is tracked', async () => {
    env.simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 1500, times: 1 });
    const popup = await env.extension.openPopup();
    const opened = env.extension.context.waitForEvent('page', { timeout: 15_000 });
    await popup.getByRole('button', { name: 'Connect Garage Pi - Web UI' }).click();
    await popup.getByText('Connecting…').waitFor();
    await popup.close();
    const tab = await opened;
    await tab.waitForLoadState();
    expect(await tab.title()).toBe('Garage Pi - Web UI');
    await tab.close();
    await expect.poll(() => stops().length).toBe(1);
  });
});

describe('a tab holds a web connection exactly while it shows the proxy', () => {
  test('a new tab (its opener is the connection tab) browsing elsewhere does not keep it alive', async () => {
    const popup = await env.extension.openPopup();
    const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    await popup.close();
    await tab.bringToFront();
    // Like Ctrl+T: Chromium records the active tab as the opener.
    const elsewhere = await env.extension.context.newPage();
    await elsewhere.goto(`${env.simulator.url}/__sim/connections`);
    await tab.close();
    await expect.poll(() => stops().length, { timeout: 5_000 }).toBe(1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
    await elsewhere.close();
  });

  test('a second tab on the same proxy keeps it until both are closed', async () => {
    const popup = await env.extension.openPopup();
    const first = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    await popup.close();
    const second = await env.extension.context.newPage();
    await second.goto(first.url());
    await first.close();
    await env.extension.stopWorker();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(stops()).toHaveLength(0);
    await second.close();
    await expect.poll(() => stops().length, { timeout: 5_000 }).toBe(1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('navigating the tab to another site stops the connection within 15 seconds', async () => {
    const popup = await env.extension.openPopup();
    const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    await popup.close();
    const navigatedAt = Date.now();
    await tab.goto(`${env.simulator.url}/__sim/connections`);
    await expect.poll(() => stops().length, { timeout: 15_000 }).toBe(1);
    expect(Date.now() - navigatedAt).toBeLessThan(15_000);
    expect(env.simulator.liveConnections()).toHaveLength(0);
    // The tab itself stays where the person took it.
    expect(tab.isClosed()).toBe(false);
  });

  test('a redirect away and straight back keeps the connection', async () => {
    const popup = await env.extension.openPopup();
    const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
    await popup.close();
    const proxy = tab.url();
    await tab.goto(`${env.simulator.url}/__sim/connections`);
    await tab.goto(proxy);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(stops()).toHaveLength(0);
    expect(env.simulator.liveConnections()).toHaveLength(1);
  });
});

describe('port services are copied', () => {
  test('SSH copies a command for the live listener, opens no tab, and Stop in the popup ends it', async () => {
    const popup = await env.extension.openPopup();
    const pagesBefore = env.extension.context.pages().length;
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    const clipboard = await env.extension.readClipboard();
    const [live] = env.simulator.liveConnections();
    expect(clipboard).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
    expect(await popup.locator('code').innerText()).toBe(clipboard);
    expect(await readBanner(live!.listener.port)).toMatch(/^SSH-2\.0-/);
    expect(env.extension.context.pages()).toHaveLength(pagesBefore);

    await popup.getByRole('button', { name: 'Copy address' }).click();
    await expect.poll(() => env.extension.readClipboard()).toBe(`127.0.0.1:${live!.listener.port}`);

    await popup.getByRole('button', { name: 'Stop Garage Pi - SSH' }).click();
    await expect.poll(() => stops().length).toBe(1);
    expect(stops()[0]!.body).toEqual({ deviceaddress: SSH, connectionid: live!.connectionId });
    await popup.getByText('Active connections').waitFor({ state: 'detached' });
  });

  test.each([
    ['Public', '0.0.0.0', null, 'public'],
    ['IP latching', '255.255.255.255', null, 'latching'],
    ['Restricted to one IP', '198.51.100.7', '198.51.100.7', '198.51.100.7'],
  ])('the %s mode chosen in the options sends hostip %s', async (label, hostip, ip, saved) => {
    const options = await env.extension.openOptions();
    const row = options.getByRole('group', { name: 'Office PC - VNC' });
    await row.getByLabel('Connection mode').selectOption({ label });
    if (ip) {
      await row.getByLabel('Allowed IP address').fill(ip);
      await row.getByLabel('Allowed IP address').press('Enter');
    }
    if (label === 'Public') await row.getByText(/anyone who has the address can connect/).waitFor();
    await expect
      .poll(() =>
        options.evaluate(() => chrome.storage.sync.get(null).then((items) => JSON.stringify(items))),
      )
      .toContain(saved);
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Connect Office PC - VNC' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    expect(env.simulator.calls('device/connect')[0]!.body).toEqual({
      deviceaddress: '80:00:00:00:00:02:2B:02',
      wait: 'true',
      hostip,
    });
  });

  test('connecting again reuses the connection, a double click makes one, and Stop all ends everything', async () => {
    const popup = await env.extension.openPopup();
    const button = popup.getByRole('button', { name: 'Connect Office PC - RDP' });
    await button.dblclick();
    await popup.getByText('Copied to the clipboard:').waitFor();
    await popup.getByRole('button', { name: 'Connect Office PC - RDP' }).click();
    await popup.getByRole('button', { name: 'Connect Home NAS - Backup TCP' }).click();
    await popup.getByText('Active connections (2)').waitFor();
    expect(
      env.simulator
        .calls('device/connect')
        .map((entry) => (entry.body as { deviceaddress: string }).deviceaddress),
    ).toEqual(['80:00:00:00:00:02:2B:01', '80:00:00:00:00:03:2B:02']);
    await expect.poll(() => env.extension.badgeText()).toBe('2');
    await popup.getByRole('button', { name: 'Stop all' }).click();
    await expect.poll(() => stops().length).toBe(2);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });
});

describe('failures show an error and leave nothing behind', () => {
  async function expectCleanFailure(popup: Page, name: string, message: RegExp) {
    const pagesBefore = env.extension.context.pages().length;
    await popup.getByRole('button', { name: `Connect ${name}` }).click();
    await expect.poll(() => popup.getByRole('alert').innerText(), { timeout: 20_000 }).toMatch(message);
    expect(env.extension.context.pages()).toHaveLength(pagesBefore);
    const local = await env.extension.storage();
    expect(local.connections).toEqual({});
    // A request still out after the time limit keeps its service marked as connecting until it settles.
    await expect
      .poll(async () => (await env.extension.storage()).connecting, { timeout: 20_000 })
      .toEqual({});
  }

  test('an offline service', async () => {
    await expectCleanFailure(await env.extension.openPopup(), 'Cabin Pi - SSH', /inactive/);
  });

  test('a service the account does not have', async () => {
    const options = await env.extension.openOptions();
    await options.getByLabel('Service ID').fill('80:00:00:00:00:09:2B:09');
    await options.getByLabel('Name', { exact: true }).last().fill('Ghost');
    await options.getByRole('button', { name: 'Add service' }).click();
    await options.getByText('Added Ghost.').waitFor();
    await expectCleanFailure(await env.extension.openPopup(), 'Ghost', /\[0861\]/);
    await options.getByRole('button', { name: 'Remove Ghost' }).click();
  });

  test('the API down', async () => {
    env.simulator.addFault({ fault: 'down', path: 'device/connect' });
    await expectCleanFailure(
      await env.extension.openPopup(),
      'Garage Pi - Web UI',
      /Cannot reach remote\.it/,
    );
  });

  test('an HTML error page', async () => {
    env.simulator.addFault({ fault: 'html-500', path: 'device/connect' });
    await expectCleanFailure(await env.extension.openPopup(), 'Garage Pi - Web UI', /Slim Application Error/);
  });

  test('a proxy outside remote.it domains is refused and ended', async () => {
    env.simulator.addFault({ fault: 'rogue-proxy', path: 'device/connect' });
    await expectCleanFailure(await env.extension.openPopup(), 'Garage Pi - Web UI', /will not open/);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('a timeout; the abandoned request leaves no connection on the server', async () => {
    env.simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 14_000 });
    await expectCleanFailure(
      await env.extension.openPopup(),
      'Garage Pi - Web UI',
      /did not answer within 3 seconds/,
    );
    await expect.poll(() => env.simulator.calls('device/connect')[0]?.status, { timeout: 20_000 }).toBe(-1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });
});

test('a stop that fails while the API is down is retried until it lands', async () => {
  const popup = await env.extension.openPopup();
  const tab = await env.extension.connectInTab(popup, 'Home NAS - Admin');
  env.simulator.addFault({ fault: 'down', path: 'device/connect/stop' });
  await tab.close();
  await popup.getByText(/Not stopped yet: Cannot reach remote\.it .* Trying again in/).waitFor();
  expect(env.simulator.liveConnections()).toHaveLength(1);
  env.simulator.clearFaults();
  await expect.poll(() => stops().length, { timeout: 30_000 }).toBe(1);
  expect(env.simulator.liveConnections()).toHaveLength(0);
  await popup.getByText(/Not stopped yet/).waitFor({ state: 'detached' });
});
