import { describe, expect, test } from 'vitest';
import {
  checkProxy,
  copyChoices,
  defaultCopy,
  sshUserProblem,
  unsafeCopyReason,
} from '../../src/shared/proxy';

const REMOTEIT = 'https://api.remot3.it/apv/v27';
const LOCAL = 'http://127.0.0.1:8787/apv/v27';
/** Hosts and ports new URL() accepts (or rejects) that must never reach a copied command. */
const HOSTILE_PROXIES = [
  'http://a$(id).rt3.io:3000',
  'http://a`id`.rt3.io:3000',
  'http://a;b.rt3.io:1',
  'http://a&b.rt3.io:1',
  'http://a b.rt3.io',
  'http://-x.rt3.io:22',
  'http://x-.rt3.io:22',
  'http://a_b.rt3.io:22',
  'http://a..b.rt3.io:22',
  `http://${'a'.repeat(64)}.rt3.io:22`,
  `http://${'abcdefghi.'.repeat(25)}rt3.io:22`,
  'http://x.rt3.io:0',
  'http://x.rt3.io:70000',
];

describe('proxy checks', () => {
  test.each([
    ['https://xprbjalo.p18.rt3.io', REMOTEIT],
    ['http://proxy18.rt3.io:38575', REMOTEIT],
    ['http://proxy2.remot3.it:30000', REMOTEIT],
    ['http://abc.p18.localhost:4000', LOCAL],
    ['http://127.0.0.1:33012', LOCAL],
    // new URL() turns an internationalised name into its plain xn-- form.
    ['http://bücher.p18.rt3.io:22', REMOTEIT],
  ])('%s is accepted with endpoint %s', (proxy, endpoint) =>
    expect(checkProxy(proxy, endpoint)).not.toBeNull(),
  );

  test.each([
    ['https://evil.example.com', REMOTEIT],
    ['https://rt3.io.evil.com', REMOTEIT],
    ['https://notrt3.io', REMOTEIT],
    ['http://127.0.0.1:33012', REMOTEIT],
    ['http://abc.p18.localhost:4000', REMOTEIT],
    ['javascript:alert(1)', LOCAL],
    ['file:///etc/passwd', LOCAL],
    ['ftp://proxy18.rt3.io', REMOTEIT],
    ['https://user:pw@proxy18.rt3.io', REMOTEIT],
    ['', REMOTEIT],
    ['proxy18.rt3.io:38575', REMOTEIT],
    ...HOSTILE_PROXIES.map((proxy) => [proxy, REMOTEIT]),
  ])('%j is refused with endpoint %s', (proxy, endpoint) => expect(checkProxy(proxy, endpoint)).toBeNull());
});

describe('what a click copies', () => {
  const url = new URL('http://proxy18.rt3.io:38575');
  test('SSH: the command with the remembered user, or the address', () => {
    expect(defaultCopy(url, { type: 'SSH', sshUser: 'pi' }).text).toBe('ssh -p 38575 pi@proxy18.rt3.io');
    expect(defaultCopy(url, { type: 'SSH' }).text).toBe('ssh -p 38575 proxy18.rt3.io');
    expect(defaultCopy(url, { type: 'SSH', copyFormat: 'address' }).text).toBe('proxy18.rt3.io:38575');
  });
  test('RDP and VNC commands; plain host:port for the rest', () => {
    expect(copyChoices(url, { type: 'RDP' }).map((choice) => choice.text)).toEqual([
      'proxy18.rt3.io:38575',
      'mstsc /v:proxy18.rt3.io:38575',
    ]);
    expect(defaultCopy(url, { type: 'VNC' }).text).toBe('vncviewer proxy18.rt3.io::38575');
    expect(copyChoices(url, { type: 'TCP' })).toEqual([
      { format: 'address', label: 'Address', text: 'proxy18.rt3.io:38575' },
    ]);
    expect(defaultCopy(url, { type: 'MySQL', copyFormat: 'command' }).text).toBe('proxy18.rt3.io:38575');
  });
});

describe('what is never copied', () => {
  test.each(HOSTILE_PROXIES)('nothing is copied for %j, with a reason', (proxy) => {
    expect(unsafeCopyReason(proxy, { type: 'TCP' })).toMatch(/not a plain host name and port/);
  });

  test('a stored address that is no longer plain throws instead of becoming a command', () => {
    // A URL object whose host new URL() accepted: what the worker rebuilds from its stored record.
    const url = new URL('http://a$(id).rt3.io:3000');
    expect(() => copyChoices(url, { type: 'SSH' })).toThrow(/not a plain host name and port/);
    expect(() => defaultCopy(url, { type: 'SSH', copyFormat: 'address' })).toThrow(/plain host name/);
  });

  test('plain hosts, IPv4 literals and the default ports are fine', () => {
    for (const proxy of [
      'http://proxy18.rt3.io:38575',
      'https://xprbjalo.p18.rt3.io',
      'http://127.0.0.1:65535',
      'http://bücher.rt3.io:1',
    ])
      expect(unsafeCopyReason(proxy, { type: 'SSH', sshUser: 'pi' })).toBeNull();
  });

  test.each(['pi', 'root', '_svc', 'first.last', 'deploy-bot', 'Admin_2', 'a'.repeat(32)])(
    'the SSH user %j is used',
    (sshUser) => {
      expect(sshUserProblem(sshUser)).toBeNull();
      expect(defaultCopy(new URL('http://proxy18.rt3.io:38575'), { type: 'SSH', sshUser }).text).toBe(
        `ssh -p 38575 ${sshUser}@proxy18.rt3.io`,
      );
    },
  );

  test.each([
    '$(id)',
    '`id`',
    'pi;id',
    'pi|id',
    'pi&',
    'pi id',
    '-oProxyCommand=id',
    'pi$',
    "pi'",
    'pi"',
    'me@example.com',
    'CORP\\me',
    '1pi',
    'üser',
    'a'.repeat(33),
  ])('the SSH user %j is refused, and nothing is copied', (sshUser) => {
    expect(sshUserProblem(sshUser)).toMatch(/letters, digits, dots, underscores and hyphens/);
    const proxy = 'http://proxy18.rt3.io:38575';
    expect(unsafeCopyReason(proxy, { type: 'SSH', sshUser })).toMatch(/SSH user name cannot be used/);
    expect(() => copyChoices(new URL(proxy), { type: 'SSH', sshUser })).toThrow(/SSH user name/);
  });

  test('a user name only matters where it is copied: SSH', () => {
    expect(unsafeCopyReason('http://proxy18.rt3.io:38575', { type: 'RDP', sshUser: '$(id)' })).toBeNull();
  });
});
