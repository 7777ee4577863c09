import { describe, expect, test } from 'vitest';
import type { RawDevice } from '../../src/shared/api';
import {
  importListedDevices,
  decodeServiceType,
  groupAccountServices,
  mergeImport,
  normaliseServiceId,
} from '../../src/shared/catalog';
import { makeService } from '../fixtures';

describe('service IDs', () => {
  test.each([
    ['80:00:00:00:01:0a:2b:3c', '80:00:00:00:01:0A:2B:3C'],
    ['  80:00:00:00:01:0A:2B:3C ', '80:00:00:00:01:0A:2B:3C'],
  ])('%s is accepted as %s', (input, expected) => expect(normaliseServiceId(input)).toBe(expected));

  test.each([
    '',
    '80:00:00:00:01:0A:2B',
    '80:00:00:00:01:0A:2B:3C:44',
    '80-00-00-00-01-0A-2B-3C',
    '80:00:00:00:01:0A:2B:3G',
    'garage-pi',
  ])('%j is rejected', (input) => expect(normaliseServiceId(input)).toBeNull());
});

describe('devicetype decoding', () => {
  test.each([
    ['00:1C:00:00:00:04:00:05:04:60:00:16:00:01:00:00', 'SSH', 28, 'SSH'],
    ['00:07:00:00:00:04:00:05:04:60:00:50:00:01:00:00', 'HTTP', 7, 'HTTP'],
    ['00:1E:00:00:00:04:00:05:04:60:00:50:00:01:00:00', 'Basic Web', 30, 'HTTP'],
    ['00:21:00:00:00:04:00:05:04:60:01:BB:00:01:00:00', 'Secure Web', 33, 'HTTPS'],
    ['00:05:00:00:00:04:00:05:04:60:0D:3D:00:01:00:00', 'RDP Plus', 5, 'RDP'],
    ['00:04:00:00:00:04:00:05', 'VNC', 4, 'VNC'],
    ['00:23:00:00:00:04:00:05:04:60:FF:FF:00:01:00:00', 'Bulk Service', 35, 'Device'],
    ['80:01:00:00:00:04:00:05:04:60:00:16:00:01:00:00', 'UDP', 0x8001, 'UDP'],
  ])('%s (%s) is type %i, %s', (devicetype, title, typeId, type) => {
    expect(decodeServiceType(devicetype, title)).toEqual({ typeId, type });
  });

  test('falls back to servicetitle when devicetype is missing or garbled', () => {
    expect(decodeServiceType('', 'Secure Web')).toEqual({ typeId: null, type: 'HTTPS' });
    expect(decodeServiceType('zz', 'SSH')).toEqual({ typeId: null, type: 'SSH' });
    expect(decodeServiceType('', 'Minecraft')).toEqual({ typeId: null, type: 'Minecraft' });
  });
});

function raw(
  deviceaddress: string,
  devicealias: string,
  devicetype: string,
  devicestate = 'active',
  devicelastip = '203.0.113.1',
): RawDevice {
  return { deviceaddress, devicealias, devicetype, devicestate, servicetitle: '', devicelastip };
}
const BULK = '00:23:00:00:00:04:00:05:04:60:FF:FF:00:01:00:00';
const SSH = '00:1C:00:00:00:04:00:05:04:60:00:16:00:01:00:00';

describe('grouping an account', () => {
  test('services go under their device by name, then by IP; the Bulk entry is not a service', () => {
    const devices = groupAccountServices([
      raw('80:00:00:00:00:01:2B:00', 'Garage Pi', BULK),
      raw('80:00:00:00:00:01:2B:01', 'Garage Pi - SSH', SSH),
      raw('80:00:00:00:00:01:2B:02', 'pi-web', SSH),
      raw('80:00:00:00:00:02:2B:00', 'Cabin', BULK, 'inactive', '203.0.113.2'),
      raw('80:00:00:00:00:02:2B:01', 'Cabin - SSH', SSH, 'inactive', '203.0.113.2'),
      raw('80:00:00:00:00:09:2B:01', 'Stray', SSH, 'active', '198.51.100.1'),
      raw('not-an-id', 'Broken', SSH),
    ]);
    expect(devices.map((device) => [device.name, device.services.map((service) => service.name)])).toEqual([
      ['Garage Pi', ['Garage Pi - SSH', 'pi-web']],
      ['Cabin', ['Cabin - SSH']],
      ['Other services', ['Stray']],
    ]);
    expect(devices[1]).toMatchObject({ online: false });
    expect(devices[1]!.services[0]).toMatchObject({
      online: false,
      type: 'SSH',
      typeId: 28,
      device: 'Cabin',
    });
  });
});

describe('merging a refresh', () => {
  const saved = [
    makeService({ name: 'My Pi', favourite: true, sshUser: 'pi' }),
    makeService({ id: '80:00:00:00:00:01:2B:09', name: 'Gone' }),
    makeService({
      id: '80:00:00:00:00:07:2B:01',
      name: 'Manual',
      device: '',
      type: 'TCP',
      typeId: null,
      online: null,
      source: 'manual',
    }),
  ];
  const imported = [
    makeService({ online: false, inAccount: true }),
    makeService({
      id: '80:00:00:00:00:01:2B:03',
      name: 'Garage Pi - New',
      type: 'HTTP',
      typeId: 7,
      inAccount: true,
    }),
  ];

  test('keeps names, favourites and settings, updates state, flags what left the account', () => {
    const merged = mergeImport(saved, imported, new Set());
    expect(merged).toHaveLength(3);
    expect(merged[0]).toMatchObject({
      name: 'My Pi',
      favourite: true,
      sshUser: 'pi',
      online: false,
      inAccount: true,
    });
    expect(merged[1]).toMatchObject({ name: 'Gone', inAccount: false, online: false });
    expect(merged[2]).toEqual(saved[2]);
  });

  test('adds all new services, or only the selected ones', () => {
    expect(mergeImport(saved, imported).map((service) => service.id)).toContain('80:00:00:00:00:01:2B:03');
    expect(mergeImport(saved, imported, new Set(['80:00:00:00:00:01:2B:03']))).toHaveLength(4);
    expect(mergeImport(saved, imported, new Set())).toHaveLength(3);
  });
});

describe('the GraphQL listing as import groups', () => {
  const device = (services: { name: string; typeId: number; reverseProxy?: boolean }[], shared = false) => ({
    id: 'd',
    name: 'Garage Pi',
    online: true,
    owner: { id: shared ? 'friend' : 'me', email: shared ? 'friend@example.com' : 'me@example.com' },
    shared,
    services: services.map((service, index) => ({
      id: `80:00:00:00:00:01:2b:0${index + 1}`,
      title: '',
      port: null,
      online: true,
      enabled: true,
      reverseProxy: false,
      ...service,
    })),
  });

  test('names services under their device once, decodes types, upper-cases ids, marks shared devices', () => {
    const [own, shared] = importListedDevices([
      device([
        { name: 'SSH', typeId: 28 },
        { name: 'Garage Pi - Web UI', typeId: 7 },
      ]),
      device([{ name: 'VNC', typeId: 4 }], true),
    ]);
    const [proxied] = importListedDevices([device([{ name: 'Camera', typeId: 60, reverseProxy: true }])]);
    expect(proxied!.services[0]).toMatchObject({ type: 'Web', typeId: null });
    expect(own!.services.map((service) => [service.id, service.name, service.type])).toEqual([
      ['80:00:00:00:00:01:2B:01', 'Garage Pi - SSH', 'SSH'],
      ['80:00:00:00:00:01:2B:02', 'Garage Pi - Web UI', 'HTTP'],
    ]);
    expect(own!.sharedBy).toBeUndefined();
    expect(shared!.sharedBy).toBe('friend@example.com');
  });
});
