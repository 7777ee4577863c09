/**
 * The popup, the options page and the worker are separate contexts that change the same storage. Each is
 * simulated by its own instance of the storage modules (vi.resetModules), sharing the in-memory browser and,
 * like the Web Locks API shares it between an extension's contexts, one lock manager.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { makeService, serviceId } from '../fixtures';

/** The part of the Web Locks API the extension uses: exclusive locks by name, granted in request order. */
function sharedLockManager() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const granted = (tails.get(name) ?? Promise.resolve()).then(callback);
      tails.set(
        name,
        granted.catch(() => undefined),
      );
      return granted;
    },
  };
}

async function openContext() {
  vi.resetModules();
  return {
    local: await import('../../src/shared/storage/local'),
    choices: await import('../../src/shared/storage/choices'),
  };
}

beforeEach(() => {
  vi.stubGlobal('navigator', { locks: sharedLockManager() });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('concurrent writes from the popup, the options page and the worker', () => {
  test('three notices added at once are all kept', async () => {
    const [popup, options, worker] = [await openContext(), await openContext(), await openContext()];
    await Promise.all([
      worker.local.addNotice('expired', 'Garage Pi - SSH: the connection expired.'),
      popup.local.addNotice('error', 'Could not copy.'),
      options.local.addNotice('stopped', 'Garage Pi - Web UI: stopped.'),
    ]);
    const { notices } = await worker.local.readLocal('notices');
    expect(notices.map((notice) => notice.text).sort()).toEqual([
      'Could not copy.',
      'Garage Pi - SSH: the connection expired.',
      'Garage Pi - Web UI: stopped.',
    ]);
  });

  test('a favourite set in the popup while the options page renames another service keeps both', async () => {
    const [popup, options] = [await openContext(), await openContext()];
    const other = makeService({ id: serviceId(2), name: 'NAS - SSH' });
    await popup.choices.writeCatalog([makeService(), other]);
    const edit = (id: string, change: object) => (services: ReturnType<typeof makeService>[]) =>
      services.map((service) => (service.id === id ? { ...service, ...change } : service));
    await Promise.all([
      popup.choices.updateCatalog(edit(makeService().id, { favourite: true })),
      options.choices.updateCatalog(edit(other.id, { name: 'Attic NAS' })),
      options.choices.updateCatalog(edit(makeService().id, { sshUser: 'pi' })),
    ]);
    expect(await popup.choices.readCatalog()).toEqual([
      makeService({ favourite: true, sshUser: 'pi' }),
      { ...other, name: 'Attic NAS' },
    ]);
  });

  test('two options pages changing different preferences keep both', async () => {
    const [first, second] = [await openContext(), await openContext()];
    await Promise.all([
      first.choices.updatePreferences((current) => ({ ...current, defaultMode: { kind: 'public' } })),
      second.choices.updatePreferences((current) => ({ ...current, idleLimitMin: 30 })),
    ]);
    expect((await first.choices.readChoices()).preferences).toEqual({
      defaultMode: { kind: 'public' },
      idleLimitMin: 30,
    });
  });

  test('a notice dismissed in the popup while the worker adds one keeps the new one', async () => {
    const [popup, worker] = [await openContext(), await openContext()];
    await worker.local.addNotice('stopped', 'Old: stopped.');
    const [old] = (await popup.local.readLocal('notices')).notices;
    await Promise.all([
      popup.local.dismissNotice(old!),
      worker.local.addNotice('expired', 'New: the connection expired.'),
    ]);
    expect((await popup.local.readLocal('notices')).notices.map((notice) => notice.text)).toEqual([
      'New: the connection expired.',
    ]);
  });
});

describe('the lock', () => {
  test('without the Web Locks API, updates in one context are still serialised', async () => {
    vi.unstubAllGlobals();
    const { local } = await openContext();
    await Promise.all(Array.from({ length: 5 }, (_, index) => local.addNotice('stopped', `Stop ${index}`)));
    expect((await local.readLocal('notices')).notices).toHaveLength(5);
  });

  test('a read that finds damage inside locked work does not wait for itself', async () => {
    const { local } = await openContext();
    await fakeBrowser.storage.local.set({ connecting: { [serviceId(1)]: 'soon' } });
    const inside = await local.updateLocal(['notices'], () => local.readLocal('connecting'));
    expect(inside.connecting).toEqual({});
    // The repair it left for later runs once the lock is free.
    await local.readLocal('notices');
    await vi.waitFor(async () =>
      expect((await fakeBrowser.storage.local.get('connecting')).connecting).toEqual({}),
    );
  });
});

describe('what a read-modify-write stores', () => {
  test('only the keys it changed or repaired: the others raise no change event', async () => {
    const { local } = await openContext();
    await fakeBrowser.storage.local.set({
      lastUsed: { [serviceId(1)]: 1 },
      connecting: { [serviceId(2)]: 'soon' },
    });
    const changedKeys: string[][] = [];
    const listener = (changes: Record<string, unknown>) => changedKeys.push(Object.keys(changes).sort());
    fakeBrowser.storage.local.onChanged.addListener(listener);
    await local.updateLocal(['notices', 'lastUsed', 'connecting'], (state) => {
      state.notices = [{ at: 1, kind: 'stopped', text: 'Stopped.' }];
    });
    fakeBrowser.storage.local.onChanged.removeListener(listener);
    // The notice it added, the damaged table it repaired (and the notice of that); not the times it only read.
    expect(new Set(changedKeys.flat())).toEqual(new Set(['connecting', 'notices']));
    expect((await fakeBrowser.storage.local.get('lastUsed')).lastUsed).toEqual({ [serviceId(1)]: 1 });
  });
});

describe('reads', () => {
  test('reads started together go to the browser as one, and each gets its own keys', async () => {
    const { local } = await openContext();
    await fakeBrowser.storage.local.set({
      lastUsed: { [serviceId(1)]: 1 },
      connecting: { [serviceId(2)]: 2 },
    });
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    const [lastUsed, connecting, both] = await Promise.all([
      local.readLocal('lastUsed'),
      local.readLocal('connecting'),
      local.getStoredLocal(['lastUsed', 'connecting']),
    ]);
    expect(get).toHaveBeenCalledTimes(1);
    expect(lastUsed).toEqual({ lastUsed: { [serviceId(1)]: 1 } });
    expect(connecting).toEqual({ connecting: { [serviceId(2)]: 2 } });
    expect(both).toEqual({ lastUsed: { [serviceId(1)]: 1 }, connecting: { [serviceId(2)]: 2 } });
    // A read started afterwards sees what was written meanwhile.
    await fakeBrowser.storage.local.set({ lastUsed: {} });
    expect(await local.readLocal('lastUsed')).toEqual({ lastUsed: {} });
    expect(get).toHaveBeenCalledTimes(2);
  });
});
