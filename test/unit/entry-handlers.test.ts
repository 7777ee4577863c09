/**
 * The handlers the worker's listeners call for the page menu, the shortcuts, the address bar and the warning
 * alarms, against the in-memory browser: each connect goes to connectService as the popup's does.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { readLocal, writeLocal } from '../../src/shared/storage/local';
import { readCatalog, updatePreferences, writeCatalog } from '../../src/shared/storage/choices';
import type { ConnectionRecord } from '../../src/shared/storage/connections';
import { makeConnection, makeService, serviceId } from '../fixtures';

const connectService = vi.hoisted(() => vi.fn());
const stopAll = vi.hoisted(() => vi.fn());
vi.mock('../../src/background/lifecycle/connect', () => ({ connectService }));
vi.mock('../../src/background/lifecycle/stop-queue', () => ({ stopAll }));
const { onMenuClicked } = await import('../../src/background/menus');
const { onCommand } = await import('../../src/background/commands');
const { onOmniboxInputChanged, onOmniboxInputEntered } = await import('../../src/background/omnibox');
const { onConnectionsChangedForWarnings, onWarningAlarm } =
  await import('../../src/background/notifications');

const pi = makeService({ id: serviceId(1), name: 'Garage Pi - SSH', favourite: true });
const web = makeService({ id: serviceId(2), name: 'Garage Pi - Web UI', type: 'HTTP' });
const create = vi.fn();
let contexts: { documentUrl: string }[] = [];

beforeEach(async () => {
  connectService
    .mockReset()
    .mockResolvedValue({ action: 'copied', reused: false, proxy: 'x', copied: 'x', copyFailed: false });
  stopAll.mockReset();
  create.mockReset();
  contexts = [];
  Object.assign(fakeBrowser.notifications, { create });
  Object.assign(fakeBrowser.runtime, { getContexts: vi.fn(async () => contexts) });
  await writeCatalog([pi, web]);
});

describe('the page menu', () => {
  test('a favourite or recent service connects; Stop all stops all', async () => {
    await onMenuClicked({ menuItemId: `page-connect:${web.id}` });
    expect(connectService).toHaveBeenCalledWith(web.id, {});
    await onMenuClicked({ menuItemId: 'page-stop-all' });
    expect(stopAll).toHaveBeenCalledOnce();
  });

  test('a selected name or ID connects that saved service', async () => {
    await onMenuClicked({ menuItemId: 'page-selection', selectionText: ' Garage Pi - Web UI ' });
    await onMenuClicked({ menuItemId: 'page-selection', selectionText: serviceId(1).toLowerCase() });
    expect(connectService.mock.calls).toEqual([
      [web.id, {}],
      [pi.id, {}],
    ]);
  });

  test('an unsaved ID asks in the options page first; nothing is saved or connected yet', async () => {
    const tabs = vi.spyOn(fakeBrowser.tabs, 'create');
    await onMenuClicked({ menuItemId: 'page-selection', selectionText: '80:00:00:00:0a:0b:0c:0d' });
    expect(tabs).toHaveBeenCalledWith({
      url: expect.stringMatching(/src\/options\/index\.html\?connect=80%3A00%3A00%3A00%3A0A%3A0B%3A0C%3A0D$/),
    });
    expect(connectService).not.toHaveBeenCalled();
    expect(await readCatalog()).toHaveLength(2);
  });

  test('with "connect directly" on, an unsaved ID is saved, named by its ID, and connected', async () => {
    await updatePreferences((current) => ({ ...current, connectSelectedIds: true }));
    await onMenuClicked({ menuItemId: 'page-selection', selectionText: '80:00:00:00:0A:0B:0C:0D' });
    expect((await readCatalog()).at(-1)).toMatchObject({
      id: '80:00:00:00:0A:0B:0C:0D',
      name: '80:00:00:00:0A:0B:0C:0D',
      source: 'manual',
    });
    expect(connectService).toHaveBeenCalledWith('80:00:00:00:0A:0B:0C:0D', {});
  });

  test('a failure is kept for the popup, and notified while no popup is open', async () => {
    connectService.mockRejectedValue(new Error('remote.it said: offline'));
    await onMenuClicked({ menuItemId: `page-connect:${pi.id}` });
    expect((await readLocal('notices')).notices.at(-1)).toMatchObject({
      kind: 'error',
      text: 'Garage Pi - SSH: remote.it said: offline',
    });
    expect(create).toHaveBeenCalledWith(
      'connect:Garage Pi - SSH',
      expect.objectContaining({ title: 'Could not connect Garage Pi - SSH' }),
    );

    create.mockClear();
    contexts = [{ documentUrl: fakeBrowser.runtime.getURL('src/popup/index.html') }];
    await onMenuClicked({ menuItemId: `page-connect:${pi.id}` });
    expect(create).not.toHaveBeenCalled();

    contexts = [];
    await updatePreferences((current) => ({ ...current, notifications: false }));
    await onMenuClicked({ menuItemId: `page-connect:${pi.id}` });
    expect(create).not.toHaveBeenCalled();
  });

  test('selected text that is neither is told, not connected', async () => {
    await onMenuClicked({ menuItemId: 'page-selection', selectionText: 'hello world' });
    expect(connectService).not.toHaveBeenCalled();
    expect(create).toHaveBeenCalledWith('connect:“hello world”', expect.anything());
  });
});

describe('shortcuts', () => {
  test('connect favourite 1 connects the first favourite; a missing one is told', async () => {
    await onCommand('connect-favourite-1');
    expect(connectService).toHaveBeenCalledWith(pi.id, {});
    await onCommand('connect-favourite-2');
    expect(connectService).toHaveBeenCalledOnce();
    expect(create).toHaveBeenCalledWith('connect:Favourite 2', expect.anything());
    await onCommand('_execute_action');
    expect(connectService).toHaveBeenCalledOnce();
  });
});

describe('the address bar', () => {
  test('suggests matches with their state, and Enter connects with the browser’s disposition', async () => {
    const suggest = vi.fn();
    await onOmniboxInputChanged('web', suggest);
    expect(suggest).toHaveBeenCalledWith([
      {
        content: web.id,
        description: '<match>Garage Pi - Web UI</match> <dim>Garage Pi · HTTP · online</dim>',
      },
    ]);
    for (const disposition of ['currentTab', 'newForegroundTab', 'newBackgroundTab']) {
      connectService.mockClear();
      await onOmniboxInputEntered(web.id, disposition);
      expect(connectService).toHaveBeenCalledWith(web.id, { openIn: disposition });
    }
    connectService.mockClear();
    await onOmniboxInputEntered('garage pi ssh', 'currentTab');
    expect(connectService).toHaveBeenCalledWith(pi.id, { openIn: 'currentTab' });
  });
});

describe('warnings before a port connection ends', () => {
  // An hour from expiry.
  const record: ConnectionRecord = makeConnection({ id: 'c1', serviceId: pi.id, serviceName: pi.name });

  test('are armed when a port connection is recorded, cleared when it goes, never for web connections', async () => {
    onConnectionsChangedForWarnings(
      {
        connections: {
          oldValue: {},
          newValue: { c1: record, w: { ...record, id: 'w', reverseProxy: true } },
        },
      },
      'local',
    );
    await vi.waitFor(async () =>
      expect(await fakeBrowser.alarms.get('ending-soon:c1')).toMatchObject({
        scheduledTime: record.expiresAt - 300_000,
      }),
    );
    expect(await fakeBrowser.alarms.get('ending-soon:w')).toBeUndefined();
    onConnectionsChangedForWarnings({ connections: { oldValue: { c1: record }, newValue: {} } }, 'local');
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('ending-soon:c1')).toBeUndefined());
  });

  test('the alarm notifies while the connection is still that close to its end', async () => {
    const soon = { ...record, expiresAt: Date.now() + 4 * 60_000 };
    await writeLocal({ connections: { c1: soon } });
    await onWarningAlarm('c1');
    expect(create).toHaveBeenCalledWith(
      'ending:c1',
      expect.objectContaining({ title: 'Garage Pi - SSH stops in 4 minutes' }),
    );
    create.mockClear();
    await writeLocal({ connections: {} });
    await onWarningAlarm('c1');
    expect(create).not.toHaveBeenCalled();
  });
});
