import { describe, expect, test } from 'vitest';
import type { SavedService } from '../../src/shared/catalog';
import { defaultChoice, searchServices } from '../../src/shared/search';
import { makeService } from '../fixtures';

const services = [
  makeService({ name: 'Zeta web', id: '80:00:00:00:00:01:2B:01', type: 'HTTP' }),
  makeService({ name: 'Alpha ssh', id: '80:00:00:00:00:01:2B:02' }),
  makeService({ name: 'Beta offline', id: '80:00:00:00:00:01:2B:03', online: false }),
  makeService({ name: 'Gamma recent', id: '80:00:00:00:00:01:2B:04' }),
  makeService({
    name: 'Omega fav',
    id: '80:00:00:00:00:01:2B:05',
    favourite: true,
    device: 'Office PC',
    type: 'RDP',
  }),
  makeService({ name: 'Delta older', id: '80:00:00:00:00:01:2B:06' }),
];
const context = { lastUsed: { '80:00:00:00:00:01:2B:04': 200, '80:00:00:00:00:01:2B:06': 100 } };
const names = (list: SavedService[]) => list.map((entry) => entry.name);

describe('ordering without a query', () => {
  test('favourites, then recently used (newest first), then the rest by name, offline last', () => {
    expect(names(searchServices(services, '', context))).toEqual([
      'Omega fav',
      'Gamma recent',
      'Delta older',
      'Alpha ssh',
      'Zeta web',
      'Beta offline',
    ]);
  });
});

describe('matching', () => {
  test.each([
    ['office', ['Omega fav']],
    ['rdp', ['Omega fav']],
    ['http', ['Zeta web']],
    ['2B:05', ['Omega fav']],
    ['2b05', ['Omega fav']],
    ['ALPHA', ['Alpha ssh']],
    ['office rdp', ['Omega fav']],
    ['garage alpha', ['Alpha ssh']],
    ['nothing-like-this', []],
  ])('%j finds %j', (query, expected) => {
    expect(names(searchServices(services, query, context))).toEqual(expected);
  });

  test('a name that starts with the query ranks first', () => {
    const list = [
      makeService({ name: 'Pi backup', id: '80:00:00:00:00:01:2B:10' }),
      makeService({ name: 'Home pi', id: '80:00:00:00:00:01:2B:11' }),
      makeService({ name: 'Raspberry', id: '80:00:00:00:00:01:2B:12', device: 'pi' }),
    ];
    expect(names(searchServices(list, 'pi', { lastUsed: {} }))).toEqual([
      'Pi backup',
      'Home pi',
      'Raspberry',
    ]);
  });

  test('Enter picks the first service that is not offline', () => {
    expect(defaultChoice(searchServices(services, 'beta', context))).toBeUndefined();
    expect(defaultChoice([services[2]!, services[1]!])?.name).toBe('Alpha ssh');
  });
});
