/**
 * The page menu, the shortcuts and the address bar keyword in Chromium against the simulator. Headless Chromium
 * has no menu to right-click, no shortcut keys reaching extensions and no address bar to type in, so the test
 * delivers each event to the worker as the browser would: it starts the worker if it is stopped (CDP
 * ServiceWorker.startWorker, as the browser starts it for an event) and fires the worker's own event object
 * (`browser.contextMenus.onClicked`, `browser.commands.onCommand`, `browser.omnibox.onInputEntered`) with the
 * arguments the browser passes. The listeners index.ts registered then run exactly as for a real click. The
 * results are judged like the popup's: the simulator's call log, the clipboard, the tabs.
 */
import { describe, expect, test } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { signedInEnvironment } from './fixtures';

const env = signedInEnvironment({ requestTimeoutSec: 3 });

const WEB = '80:00:00:00:00:01:2B:02';
const SSH = '80:00:00:00:00:01:2B:01';

const connects = () => env.simulator.calls('device/connect').filter((entry) => entry.status === 200);
const stops = () => env.simulator.calls('device/connect/stop').filter((entry) => entry.status === 200);

/** The extension's worker, started first when it is stopped (as the browser does to deliver an event). */
async function worker(): Promise<Worker> {
  const { context, control, id } = env.extension;
  const cdp = await context.newCDPSession(control);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${id}/` });
  await cdp.detach();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = context
      .serviceWorkers()
      .filter((candidate) => candidate.url().startsWith(`chrome-extension://${id}/`))
      .at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('The service worker did not start.');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fires one of the worker's extension events (e.g. `contextMenus.onClicked`) with the browser's arguments. */
async function deliver(event: string, ...args: unknown[]): Promise<void> {
  await (
    await worker()
  ).evaluate(
    ([path, values]) => {
      const [namespace, name] = path.split('.') as [string, string];
      const target = (
        browser as unknown as Record<string, Record<string, { dispatch(...a: unknown[]): void }>>
      )[namespace]![name]!;
      target.dispatch(...values);
    },
    [event, args] as const,
  );
}

/** A page the person is on, in front: where the menu is opened, the key pressed, the keyword typed. */
async function pageInFront(): Promise<Page> {
  const page = await env.extension.context.newPage();
  await page.goto(`${env.simulator.url}/__sim/connections`);
  await page.bringToFront();
  return page;
}

const menuClick = (menuItemId: string, extra: Record<string, unknown> = {}) =>
  deliver('contextMenus.onClicked', {
    menuItemId,
    editable: false,
    pageUrl: 'http://example.test/',
    ...extra,
  });

/** Whether a menu item exists: updating an unknown id is refused. */
const menuItemExists = (id: string) =>
  env.extension.control.evaluate(
    (item) =>
      chrome.contextMenus.update(item, {}).then(
        () => true,
        () => false,
      ),
    id,
  );

async function markFavourite(name: string): Promise<void> {
  const popup = await env.extension.openPopup();
  const star = popup.getByRole('button', { name: `Favourite ${name}` });
  if ((await star.getAttribute('aria-pressed')) !== 'true') await star.click();
  await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
  await popup.close();
}

async function nextTab(): Promise<Page> {
  const tab = await env.extension.context.waitForEvent('page', { timeout: 15_000 });
  await tab.waitForLoadState();
  return tab;
}

describe('the page menu', () => {
  test('a favourite connects like the popup, after the worker was stopped; again reuses it; Stop all ends it', async () => {
    // The popup's connect first, to compare with.
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    const byPopup = { body: connects()[0]!.body, clipboard: await env.extension.readClipboard() };
    const popupPort = env.simulator.liveConnections()[0]!.listener.port;
    await popup.close();
    await env.extension.resetConnections();
    env.simulator.log.length = 0;

    await markFavourite('Garage Pi - SSH');
    await expect.poll(() => menuItemExists(`page-connect:${SSH}`)).toBe(true);
    expect(await menuItemExists('page-stop-all')).toBe(false);
    const page = await pageInFront();
    await env.extension.stopWorker();
    await menuClick(`page-connect:${SSH}`);
    await expect.poll(() => connects().length).toBe(1);
    const [live] = env.simulator.liveConnections();
    expect(connects()[0]!.body).toEqual(byPopup.body);
    await expect.poll(() => env.extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
    expect(byPopup.clipboard).toBe(`ssh -p ${popupPort} 127.0.0.1`);
    await expect.poll(() => env.extension.badgeText()).toBe('1');
    // Stop all appears while something is live.
    await expect.poll(() => menuItemExists('page-stop-all')).toBe(true);

    // Again: the live connection is reused and its address copied again, as the popup does.
    await page.bringToFront();
    await env.extension.setStorage({ notices: [] });
    await menuClick(`page-connect:${SSH}`);
    await expect.poll(() => env.extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
    expect(connects()).toHaveLength(1);

    await env.extension.stopWorker();
    await menuClick('page-stop-all');
    await expect.poll(() => stops().length).toBe(1);
    expect(stops()[0]!.body).toEqual({ deviceaddress: SSH, connectionid: live!.connectionId });
    await expect.poll(() => menuItemExists('page-stop-all')).toBe(false);
  });

  test('a selected name opens the web service in a tab that holds the connection until it closes', async () => {
    await pageInFront();
    await env.extension.stopWorker();
    const opened = nextTab();
    await menuClick('page-selection', { selectionText: '  Garage Pi - Web UI\n' });
    const tab = await opened;
    expect(await tab.title()).toBe('Garage Pi - Web UI');
    expect(connects()[0]!.body).toMatchObject({ deviceaddress: WEB });
    await env.extension.stopWorker();
    await tab.close();
    await expect.poll(() => stops().length).toBe(1);
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('a selected ID in lower case connects that saved service', async () => {
    await pageInFront();
    await menuClick('page-selection', { selectionText: SSH.toLowerCase() });
    await expect.poll(() => connects().length).toBe(1);
    expect(connects()[0]!.body).toMatchObject({ deviceaddress: SSH, hostip: '255.255.255.255' });
  });

  test('an unsaved ID asks in the options page, then adds it and connects', async () => {
    const unknown = '80:00:00:00:00:0F:0F:0F';
    await pageInFront();
    const opened = nextTab();
    await menuClick('page-selection', { selectionText: unknown.toLowerCase() });
    const options = await opened;
    expect(options.url()).toContain('src/options/index.html?connect=');
    await options.getByRole('heading', { name: `Connect to ${unknown}?` }).waitFor();
    expect(connects()).toHaveLength(0);
    await options.getByRole('button', { name: 'Add and connect' }).click();
    // The simulator's account does not have it: remote.it's refusal is shown, the service stays saved.
    await options.getByRole('alert').waitFor();
    expect(env.simulator.calls('device/connect').map((entry) => entry.body)).toContainEqual(
      expect.objectContaining({ deviceaddress: unknown }),
    );
    const synced = await options.evaluate(() =>
      chrome.storage.sync.get(null).then((items) => JSON.stringify(items)),
    );
    expect(synced).toContain(unknown);
    // Taken out again so the other tests see the demo account only.
    await options.getByRole('button', { name: `Remove ${unknown}` }).click();
  });

  test('a failed connect from the menu is notified while no popup is open', async () => {
    // Down for every attempt (a dropped connection is tried again once).
    env.simulator.addFault({ fault: 'down', path: 'device/connect', times: 5 });
    await pageInFront();
    await menuClick('page-selection', { selectionText: 'Garage Pi - SSH' });
    await expect
      .poll(() => env.extension.control.evaluate(() => chrome.notifications.getAll().then(Object.keys)))
      .toContain('connect:Garage Pi - SSH');
    // The popup shows the same as a notice the next time it opens.
    expect(JSON.stringify((await env.extension.storage()).notices)).toContain(
      'Garage Pi - SSH: Cannot reach',
    );
    await env.extension.control.evaluate(() => chrome.notifications.clear('connect:Garage Pi - SSH'));
  });
});

describe('shortcuts', () => {
  test('connect favourite 1, delivered to a stopped worker, copies like the popup', async () => {
    await markFavourite('Garage Pi - SSH');
    await pageInFront();
    await env.extension.stopWorker();
    await deliver('commands.onCommand', 'connect-favourite-1');
    await expect.poll(() => connects().length).toBe(1);
    const [live] = env.simulator.liveConnections();
    expect(connects()[0]!.body).toEqual({ deviceaddress: SSH, wait: 'true', hostip: '255.255.255.255' });
    await expect.poll(() => env.extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
  });

  test('the manifest declares the popup shortcut and three favourite shortcuts, none with a key', async () => {
    const commands = await env.extension.control.evaluate(() => chrome.commands.getAll());
    expect(commands.map((command) => [command.name, command.shortcut])).toEqual([
      ['_execute_action', ''],
      ['connect-favourite-1', ''],
      ['connect-favourite-2', ''],
      ['connect-favourite-3', ''],
    ]);
  });
});

describe('the address bar keyword', () => {
  test('suggests matching services with their state', async () => {
    const suggestions = await (
      await worker()
    ).evaluate(
      () =>
        new Promise((resolve) => {
          (
            browser.omnibox.onInputChanged as unknown as { dispatch(text: string, suggest: unknown): void }
          ).dispatch('garage web', resolve);
        }),
    );
    expect(suggestions).toEqual([
      { content: WEB, description: '<match>Garage Pi - Web UI</match> <dim>Garage Pi · HTTP · online</dim>' },
    ]);
  });

  test('Enter on a web service in the current tab opens it there, after the worker was stopped', async () => {
    const page = await pageInFront();
    await env.extension.stopWorker();
    await deliver('omnibox.onInputEntered', WEB, 'currentTab');
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Garage Pi - Web UI');
    expect(env.extension.context.pages().filter((other) => other.url().includes('.p18.localhost'))).toEqual([
      page,
    ]);
    await page.close();
    await expect.poll(() => stops().length).toBe(1);
  });

  test('Enter in a background tab leaves the current tab in front; a foreground tab comes to the front', async () => {
    const page = await pageInFront();
    const opened = nextTab();
    await deliver('omnibox.onInputEntered', 'garage web', 'newBackgroundTab');
    const background = await opened;
    expect(await background.title()).toBe('Garage Pi - Web UI');
    const activeUrl = () =>
      env.extension.control.evaluate(() =>
        chrome.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => tab?.url ?? ''),
      );
    expect(await activeUrl()).toBe(page.url());
    await background.close();
    await expect.poll(() => stops().length).toBe(1);

    const front = nextTab();
    await deliver('omnibox.onInputEntered', WEB, 'newForegroundTab');
    const foreground = await front;
    await expect.poll(activeUrl).toBe(foreground.url());
  });
});
