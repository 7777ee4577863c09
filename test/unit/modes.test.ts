import { describe, expect, test } from 'vitest';
import { hostipFor, isPublicIpv4, parseMode } from '../../src/shared/modes';
import type { ConnectionMode } from '../../src/shared/catalog';

describe('a restricted connection', () => {
  test.each([
    '8.8.8.8',
    '81.2.69.160',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    // Documentation addresses: never routed, so unusable rather than wider; examples and tests use them.
    '198.51.100.7',
  ])('can be limited to %s', (ip) => expect(isPublicIpv4(ip)).toBe(true));

  test.each([
    ['0.0.0.0', 'means public to remote.it'],
    ['255.255.255.255', 'means IP latching to remote.it'],
    ['0.1.2.3', 'this network'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.10', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.168.1.10', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['1.2.3', 'not four octets'],
    ['1.2.3.256', 'out of range'],
    ['01.2.3.4', 'a leading zero some parsers read as octal'],
    [' 8.8.8.8', 'padded'],
    ['::1', 'IPv6'],
    ['', 'empty'],
  ])('cannot be limited to %j (%s)', (ip) => expect(isPublicIpv4(ip)).toBe(false));
});

describe('a mode read from storage', () => {
  test.each<[unknown, ConnectionMode]>([
    [{ kind: 'public' }, { kind: 'public' }],
    [{ kind: 'latching' }, { kind: 'latching' }],
    [
      { kind: 'restricted', ip: '81.2.69.160' },
      { kind: 'restricted', ip: '81.2.69.160' },
    ],
    [{ kind: 'public', ip: '81.2.69.160', extra: true }, { kind: 'public' }],
  ])('%j is kept as %j', (stored, mode) => expect(parseMode(stored)).toEqual(mode));

  test.each([
    { kind: 'bogus' },
    { kind: 'restricted', ip: '0.0.0.0' },
    { kind: 'restricted', ip: '192.168.1.10' },
    { kind: 'restricted', ip: 3232235786 },
    { kind: 'restricted' },
    { kind: 'PUBLIC' },
    {},
    [],
    null,
    undefined,
    'public',
    42,
  ])('%j falls back to IP latching', (stored) => expect(parseMode(stored)).toEqual({ kind: 'latching' }));
});

describe("remote.it's hostip", () => {
  test('for each mode', () => {
    expect(hostipFor({ kind: 'public' })).toBe('0.0.0.0');
    expect(hostipFor({ kind: 'latching' })).toBe('255.255.255.255');
    expect(hostipFor({ kind: 'restricted', ip: '81.2.69.160' })).toBe('81.2.69.160');
  });

  test('a synced bogus mode or a restricted 0.0.0.0 is sent as IP latching once parsed', () => {
    expect(hostipFor(parseMode({ kind: 'bogus' }))).toBe('255.255.255.255');
    expect(hostipFor(parseMode({ kind: 'restricted', ip: '0.0.0.0' }))).toBe('255.255.255.255');
  });

  test('a mode that skipped parsing is refused rather than sent without hostip, or as public', () => {
    expect(() => hostipFor({ kind: 'bogus' } as unknown as ConnectionMode)).toThrow(
      /not one the extension knows/,
    );
    expect(() => hostipFor({ kind: 'restricted', ip: '0.0.0.0' })).toThrow(/not a public IPv4 address/);
  });
});
