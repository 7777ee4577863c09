/** The pure rules behind the page menu, the selection, the address bar keyword and the notifications. */
import { describe, expect, test } from 'vitest';
import { favouriteAt, menuModel, PAGE_LIMIT, pageServices } from '../../src/background/menu-model';
import { notificationFor, WARN_BEFORE_MS, warningTime } from '../../src/background/notification-rules';
import { describe as describeService, serviceForEntry, suggestionsFor } from '../../src/shared/omnibox-match';
import { parseSelection } from '../../src/shared/selection';
import type { ConnectionRecord } from '../../src/shared/storage/connections';
import { makeConnection, makeService, serviceId } from '../fixtures';

const pi = makeService({ id: serviceId(1), name: 'Garage Pi - SSH', device: 'Garage Pi', favourite: true });
const nas = makeService({
  id: serviceId(2),
  name: 'NAS - Web UI',
  device: 'NAS',
  type: 'HTTP',
  online: false,
  favourite: true,
});
const office = makeService({ id: serviceId(3), name: 'Office PC - RDP', device: 'Office PC', type: 'RDP' });
const lab = makeService({ id: serviceId(4), name: 'Lab - VNC', device: 'Lab', type: 'VNC' });
const idle = makeService({ id: serviceId(5), name: 'Never used', device: 'Attic' });

const pageItems = (items: ReturnType<typeof menuModel>) =>
  items
    .filter((item) => item.parentId === 'page')
    .map(({ id, title, enabled, type }) => ({ id, title, enabled, type }));

describe('the page menu model', () => {
  test('favourites (offline last, marked and disabled), then recently used, newest first; no Stop all when nothing is live', () => {
    const items = menuModel({
      services: [idle, lab, nas, office, pi],
      lastUsed: { [office.id]: 100, [lab.id]: 200 },
      liveConnections: 0,
    });
    expect(items.find((item) => item.id === 'page')).toMatchObject({
      title: 'remote.it',
      contexts: ['page', 'selection'],
    });
    expect(pageItems(items)).toEqual([
      { id: 'page-selection', title: 'Connect to “%s”', enabled: undefined, type: undefined },
      { id: `page-connect:${pi.id}`, title: 'Garage Pi - SSH', enabled: true, type: undefined },
      { id: `page-connect:${nas.id}`, title: 'NAS - Web UI (offline)', enabled: false, type: undefined },
      { id: `page-connect:${lab.id}`, title: 'Lab - VNC', enabled: true, type: undefined },
      { id: `page-connect:${office.id}`, title: 'Office PC - RDP', enabled: true, type: undefined },
    ]);
    expect(items.find((item) => item.id === 'page-selection')!.contexts).toEqual(['selection']);
  });

  test('Stop all appears, after a separator, while something is live', () => {
    const items = pageItems(menuModel({ services: [pi], lastUsed: {}, liveConnections: 2 }));
    expect(items.slice(-2).map((item) => item.id)).toEqual(['page-separator', 'page-stop-all']);
    expect(items.at(-2)!.type).toBe('separator');
  });

  test('is bounded whatever the saved list, favourites first', () => {
    const many = Array.from({ length: 40 }, (_, n) =>
      makeService({ id: serviceId(n + 10), name: `Service ${n}`, favourite: n % 3 === 0 }),
    );
    const lastUsed = Object.fromEntries(many.map((service, n) => [service.id, n]));
    const shown = pageServices({ services: many, lastUsed, liveConnections: 0 });
    expect(shown).toHaveLength(PAGE_LIMIT);
    expect(shown.every((service) => service.favourite)).toBe(true);
    const fewFavourites = many.map((service, n) => ({ ...service, favourite: n < 2 }));
    const mixed = pageServices({ services: fewFavourites, lastUsed, liveConnections: 0 });
    expect(mixed.map((service) => service.name).slice(0, 4)).toEqual([
      'Service 0',
      'Service 1',
      'Service 39',
      'Service 38',
    ]);
  });

  test('with nothing to show, a disabled line says so', () => {
    expect(pageItems(menuModel({ services: [idle], lastUsed: {}, liveConnections: 0 }))[1]).toMatchObject({
      id: 'page-empty',
      enabled: false,
    });
  });

  test('the favourite shortcuts count favourites in the popup’s order', () => {
    const services = [nas, pi, makeService({ id: serviceId(6), name: 'Attic cam', favourite: true })];
    expect(favouriteAt({ services, lastUsed: {} }, 1)?.name).toBe('Attic cam');
    expect(favouriteAt({ services, lastUsed: {} }, 3)?.name).toBe('NAS - Web UI');
    expect(favouriteAt({ services, lastUsed: {} }, 4)).toBeUndefined();
  });
});

describe('selected text', () => {
  const services = [pi, nas, office];

  test('a service ID in any case, with or without white space around it', () => {
    for (const text of [
      serviceId(1),
      serviceId(1).toLowerCase(),
      `  ${serviceId(1)}\n`,
      `\t${serviceId(1)} `,
    ])
      expect(parseSelection(text, services)).toEqual({ kind: 'saved', service: pi });
    expect(parseSelection(' 80:00:00:00:0a:0b:0c:0d ', services)).toEqual({
      kind: 'unsaved-id',
      id: '80:00:00:00:0A:0B:0C:0D',
    });
  });

  test('exactly a saved name; nothing for part of one, another case, or a name two services share', () => {
    expect(parseSelection('Office PC - RDP', services)).toEqual({ kind: 'saved', service: office });
    expect(parseSelection(' Office PC - RDP\n', services)).toEqual({ kind: 'saved', service: office });
    expect(parseSelection('Office PC', services)).toBeNull();
    expect(parseSelection('office pc - rdp', services)).toBeNull();
    const twin = makeService({ id: serviceId(9), name: 'Office PC - RDP' });
    expect(parseSelection('Office PC - RDP', [...services, twin])).toBeNull();
  });

  test('nothing for text that is neither, an ID with a pair missing or extra, or no text', () => {
    for (const text of [
      'hello',
      '80:00:00:00:00:01:2B',
      '80:00:00:00:00:01:2B:01:02',
      '80-00-00-00-00-01-2B-01',
      '',
      '   ',
      undefined,
    ])
      expect(parseSelection(text, services)).toBeNull();
    expect(parseSelection('x'.repeat(10_000), services)).toBeNull();
  });
});

describe('the address bar keyword', () => {
  const services = [pi, nas, office, lab];
  const context = { lastUsed: {}, connected: new Set([office.id]), connecting: new Set<string>() };

  test('matches name, device, type and ID, and says each one’s state', () => {
    expect(suggestionsFor(services, 'gar', context, false)).toEqual([
      { content: pi.id, description: 'Garage Pi - SSH — Garage Pi · SSH · online' },
    ]);
    expect(suggestionsFor(services, 'rdp', context, false)[0]!.description).toBe(
      'Office PC - RDP — Office PC · RDP · connected',
    );
    expect(suggestionsFor(services, 'http', context, false)[0]!.description).toMatch(/offline$/);
    expect(
      suggestionsFor(services, serviceId(4).toLowerCase(), context, false).map((s) => s.content),
    ).toEqual([lab.id]);
    expect(suggestionsFor(services, '8000000000000003', context, false).map((s) => s.content)).toEqual([
      office.id,
    ]);
  });

  test('Chrome gets XML-escaped markup, Firefox plain text', () => {
    const odd = makeService({ name: 'R&D <lab>', device: 'Bob’s "box"' });
    expect(describeService(odd, context, true)).toBe(
      '<match>R&amp;D &lt;lab&gt;</match> <dim>Bob’s &quot;box&quot; · SSH · online</dim>',
    );
    expect(describeService(odd, context, false)).toBe('R&D <lab> — Bob’s "box" · SSH · online');
  });

  test('Enter takes the chosen suggestion’s ID, or the first typed match that is not offline', () => {
    expect(serviceForEntry(services, pi.id, context)).toBe(pi);
    expect(serviceForEntry(services, 'nas', context)).toBeUndefined();
    expect(serviceForEntry(services, 'office', context)).toBe(office);
    expect(serviceForEntry(services, '  ', context)).toBeUndefined();
  });
});

describe('notification rules', () => {
  const record = (changes: Partial<ConnectionRecord> = {}): ConnectionRecord =>
    makeConnection({
      id: 'c1',
      serviceId: pi.id,
      serviceName: pi.name,
      startedAt: 0,
      expiresAt: 8 * 3_600_000,
      ...changes,
    });
  const on = { enabled: true, popupOpen: false };
  const failed = {
    kind: 'connect-failed',
    entry: 'menu',
    what: 'Garage Pi - SSH',
    reason: 'remote.it said: offline',
  } as const;

  test('a failed connect from a menu, a shortcut or the address bar is told, once per subject', () => {
    expect(notificationFor(failed, on)).toEqual({
      id: 'connect:Garage Pi - SSH',
      title: 'Could not connect Garage Pi - SSH',
      message: 'remote.it said: offline (from the menu)',
    });
    expect(notificationFor({ ...failed, entry: 'address bar' }, on)!.message).toMatch(/address bar\)$/);
  });

  test('never while the popup is open, nor when switched off', () => {
    expect(notificationFor(failed, { enabled: true, popupOpen: true })).toBeNull();
    expect(notificationFor(failed, { enabled: false, popupOpen: false })).toBeNull();
  });

  test('a port connection is warned about 5 minutes before it expires or reaches its idle limit', () => {
    const expiring = record();
    expect(warningTime(expiring)).toBe(expiring.expiresAt - WARN_BEFORE_MS);
    const now = expiring.expiresAt - WARN_BEFORE_MS;
    expect(notificationFor({ kind: 'ending-soon', record: expiring, now }, on)).toMatchObject({
      id: 'ending:c1',
      title: 'Garage Pi - SSH stops in 5 minutes',
      message: expect.stringMatching(/remote\.it ends every connection/),
    });
    const idling = record({ idleStopAt: 3_600_000 });
    expect(warningTime(idling)).toBe(3_600_000 - WARN_BEFORE_MS);
    expect(
      notificationFor({ kind: 'ending-soon', record: idling, now: 3_600_000 - 4 * 60_000 }, on),
    ).toMatchObject({
      title: 'Garage Pi - SSH stops in 4 minutes',
      message: expect.stringMatching(/idle limit/),
    });
  });

  test('no warning for a web connection, for one used again meanwhile, or for one already ended', () => {
    const web = record({ reverseProxy: true });
    expect(warningTime(web)).toBeNull();
    expect(notificationFor({ kind: 'ending-soon', record: web, now: web.expiresAt - 60_000 }, on)).toBeNull();
    const later = record({ idleStopAt: 3_600_000 });
    expect(notificationFor({ kind: 'ending-soon', record: later, now: 0 }, on)).toBeNull();
    expect(notificationFor({ kind: 'ending-soon', record: later, now: 3_600_001 }, on)).toBeNull();
  });

  test('a stop that never reached remote.it is told; a web connection ending with its tab never is', () => {
    expect(
      notificationFor(
        { kind: 'stop-undelivered', stop: { connectionId: 'c1', serviceName: 'NAS', lastError: 'HTTP 500' } },
        on,
      ),
    ).toEqual({
      id: 'stop:c1',
      title: 'NAS may have stayed open until it expired',
      message: 'Its stop never reached remote.it (HTTP 500).',
    });
    expect(
      notificationFor(
        { kind: 'connection-ended', record: record({ reverseProxy: true }), cause: 'tab-closed' },
        on,
      ),
    ).toBeNull();
  });
});
