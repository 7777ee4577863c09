import { describe, expect, test } from 'vitest';
import { checkProxy, copyChoices, defaultCopy } from '../../src/shared/proxy';

const REMOTEIT = 'https://api.remot3.it/apv/v27';
const LOCAL = 'http://127.0.0.1:8787/apv/v27';

describe('proxy checks', () => {
  test.each([
    ['https://xprbjalo.p18.rt3.io', REMOTEIT],
    ['http://proxy18.rt3.io:38575', REMOTEIT],
    ['http://proxy2.remot3.it:30000', REMOTEIT],
    ['http://abc.p18.localhost:4000', LOCAL],
    ['http://127.0.0.1:33012', LOCAL],
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
