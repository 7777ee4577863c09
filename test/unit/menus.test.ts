import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { readLocal } from '../../src/shared/storage/local';
import { writeCatalog } from '../../src/shared/storage/choices';
import { makeService, serviceId } from '../fixtures';

const connectService = vi.hoisted(() => vi.fn());
const stopAll = vi.hoisted(() => vi.fn());
vi.mock('../../src/background/lifecycle/connect', () => ({ connectService }));
vi.mock('../../src/background/lifecycle/stop-queue', () => ({ stopAll }));
const { onCatalogChanged, onMenuClicked, rebuildMenus } = await import('../../src/background/menus');

beforeEach(() => {
  connectService.mockReset();
  stopAll.mockReset();
});

describe('the toolbar button menu', () => {
  test('lists favourites under Connect, marks offline ones, and offers Stop all', async () => {
    await writeCatalog([
      makeService({ id: serviceId(1), name: 'Pi', favourite: true }),
      makeService({ id: serviceId(2), name: 'NAS box', favourite: true, online: false }),
      makeService({ id: serviceId(3), name: 'Other' }),
    ]);
    await rebuildMenus();
    expect(fakeBrowser.contextMenus.removeAll).toHaveBeenCalled();
    const created = vi
      .mocked(fakeBrowser.contextMenus.create)
      .mock.calls.map(([item]) => [item.id, item.title, item.parentId]);
    expect(created.filter(([id]) => !String(id).startsWith('page'))).toEqual([
      ['connect', 'Connect', undefined],
      [`connect:${serviceId(1)}`, 'Pi', 'connect'],
      [`connect:${serviceId(2)}`, 'NAS box (offline)', 'connect'],
      ['stop-all', 'Stop all connections', undefined],
    ]);
  });

  test('without favourites the Connect entry is disabled', async () => {
    await writeCatalog([makeService({ name: 'Other' })]);
    await rebuildMenus();
    expect(vi.mocked(fakeBrowser.contextMenus.create).mock.calls[0]![0]).toMatchObject({
      id: 'connect',
      enabled: false,
    });
  });

  test('an & in a name shows in Firefox, which reads a single & as an access key; Chrome gets it as written', async () => {
    await writeCatalog([makeService({ name: 'R&D lab', favourite: true })]);
    const favouriteTitle = async () => {
      vi.mocked(fakeBrowser.contextMenus.create).mockClear();
      await rebuildMenus();
      return vi.mocked(fakeBrowser.contextMenus.create).mock.calls[1]![0].title;
    };
    expect(await favouriteTitle()).toBe('R&D lab');
    vi.spyOn(fakeBrowser.runtime, 'getURL').mockImplementation((path) => `moz-extension://4f2c/${path}`);
    expect(await favouriteTitle()).toBe('R&&D lab');
  });

  test('is rebuilt when the catalog changes in either storage area', () => {
    onCatalogChanged({ 'catalog.meta': {} }, 'sync');
    onCatalogChanged({ catalogFallback: {} }, 'local');
    onCatalogChanged({ connections: {} }, 'local');
    return rebuildMenus().then(() =>
      expect(vi.mocked(fakeBrowser.contextMenus.removeAll).mock.calls.length).toBe(3),
    );
  });

  test('a click connects the favourite; a failure is kept for the popup to show', async () => {
    await onMenuClicked({ menuItemId: 'connect:80:00:00:00:00:01:2B:02' });
    expect(connectService).toHaveBeenCalledWith('80:00:00:00:00:01:2B:02', {});
    connectService.mockRejectedValueOnce(
      new Error('remote.it said: [0862] The target service is inactive (offline)'),
    );
    await onMenuClicked({ menuItemId: 'connect:80:00:00:00:00:01:2B:07' });
    expect((await readLocal('notices')).notices[0]).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/inactive/),
    });
    await onMenuClicked({ menuItemId: 'stop-all' });
    expect(stopAll).toHaveBeenCalledOnce();
  });
});
