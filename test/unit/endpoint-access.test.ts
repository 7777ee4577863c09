import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import manifest from '../../manifest.json';
import {
  endpointOrigins,
  releaseEndpointAccess,
  requestEndpointAccess,
  validateEndpoint,
} from '../../src/shared/endpoint-access';

/** Whether a manifest match pattern covers a requested one (same scheme; `*` or `*.` hosts as browsers read them). */
function covers(pattern: string, requested: string): boolean {
  const parse = (value: string) => /^(\w+):\/\/([^/]+)\//.exec(value)!.slice(1);
  const [patternScheme, patternHost] = parse(pattern);
  const [scheme, host] = parse(requested);
  if (patternScheme !== scheme) return false;
  if (patternHost === '*' || patternHost === host) return true;
  return (
    patternHost!.startsWith('*.') && (host === patternHost!.slice(2) || host!.endsWith(patternHost!.slice(1)))
  );
}

describe('the API endpoint setting', () => {
  test.each([
    ['https://api.remot3.it/apv/v27', 'https://api.remot3.it/apv/v27'],
    [' http://127.0.0.1:8787/apv/v27/ ', 'http://127.0.0.1:8787/apv/v27'],
    ['http://localhost:8787/apv/v27', 'http://localhost:8787/apv/v27'],
    ['http://api.sim.localhost:8787/apv/v27', 'http://api.sim.localhost:8787/apv/v27'],
    ['https://remoteit.internal.example:8443/apv/v27', 'https://remoteit.internal.example:8443/apv/v27'],
  ])('%j is saved as %s', (input, endpoint) => expect(validateEndpoint(input)).toEqual({ endpoint }));

  test.each([
    ['api.remot3.it/apv/v27', /full URL/],
    ['ftp://api.remot3.it/apv/v27', /must start with https:\/\//],
    ['javascript:alert(1)', /must start with https:\/\//],
    // Would send the developer key, the password and the token in clear text.
    ['http://api.example.com/apv/v27', /only allowed for localhost and 127\.0\.0\.1/],
    ['http://127.0.0.2:8787/apv/v27', /only allowed for localhost and 127\.0\.0\.1/],
    ['http://192.168.1.10/apv/v27', /only allowed for localhost/],
    // Would ask for access to every site.
    ['https://*/', /letters, digits, dots and hyphens/],
    ['http://*/', /letters, digits, dots and hyphens/],
    ['https://*.example.com/apv/v27', /letters, digits, dots and hyphens/],
    ['https://%2A/apv/v27', /letters, digits, dots and hyphens/],
    ['https://api_remot3.it/apv/v27', /letters, digits, dots and hyphens/],
    ['https://api.remot3.it./apv/v27', /letters, digits, dots and hyphens/],
    ['https://[2001:db8::1]/apv/v27', /letters, digits, dots and hyphens/],
    ['https://me:secret@api.remot3.it/apv/v27', /user name or password/],
    ['https://api.remot3.it/apv/v27?debug=1', /query/],
    ['https://api.remot3.it/apv/v27#top', /fragment/],
  ])('%j is refused: %s', (input, message) =>
    expect(validateEndpoint(input)).toEqual({ error: expect.stringMatching(message) }),
  );

  test('remote.it needs no extra permission; another host asks for that host only, on any port', async () => {
    expect(endpointOrigins('https://api.remot3.it/apv/v27')).toEqual([]);
    expect(endpointOrigins('https://api.remote.it/apv/v27')).toEqual([]);
    expect(endpointOrigins('https://api.example.com:8443/apv/v27')).toEqual(['https://api.example.com/*']);
  });

  test("a loopback API also asks for its reverse proxies' hosts, whose tabs must be seen", async () => {
    const loopback = ['http://127.0.0.1/*', 'http://*.localhost/*'];
    expect(endpointOrigins('http://127.0.0.1:8787/apv/v27')).toEqual(loopback);
    await requestEndpointAccess('http://127.0.0.1:8787/apv/v27');
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ origins: loopback });
  });

  test.each([
    'http://127.0.0.1:8787/apv/v27',
    'http://localhost:8787/apv/v27',
    'http://api.sim.localhost:8787/apv/v27',
    'https://remoteit.internal.example/apv/v27',
  ])('the manifest lets %s be asked for (a pattern it does not list cannot be requested)', (input) => {
    const checked = validateEndpoint(input);
    if (!('endpoint' in checked)) throw new Error(checked.error);
    for (const origin of endpointOrigins(checked.endpoint)) {
      expect(manifest.optional_host_permissions.some((pattern) => covers(pattern, origin))).toBe(true);
    }
  });

  test('the manifest asks for no plain-http host beyond this computer', () => {
    expect(manifest.optional_host_permissions.filter((pattern) => pattern.startsWith('http:'))).toEqual([
      'http://127.0.0.1/*',
      'http://localhost/*',
      'http://*.localhost/*',
    ]);
  });
});

describe('moving to another endpoint', () => {
  beforeEach(() => {
    Object.assign(fakeBrowser.permissions, { remove: vi.fn(async () => true) });
  });

  test('gives back the previous custom host', async () => {
    expect(
      await releaseEndpointAccess('http://127.0.0.1:8787/apv/v27', ['https://api.remot3.it/apv/v27']),
    ).toBe(true);
    expect(fakeBrowser.permissions.remove).toHaveBeenCalledWith({
      origins: ['http://127.0.0.1/*', 'http://*.localhost/*'],
    });
  });

  test('from one custom host to another, only the old one is given back', async () => {
    await releaseEndpointAccess('https://old.example/apv/v27', ['https://new.example/apv/v27']);
    expect(fakeBrowser.permissions.remove).toHaveBeenCalledWith({ origins: ['https://old.example/*'] });
  });

  test.each([
    ['the same host on another port', 'http://127.0.0.1:8787/apv/v27', 'http://127.0.0.1:9000/apv/v27'],
    ['remote.it to a custom host', 'https://api.remot3.it/apv/v27', 'http://127.0.0.1:8787/apv/v27'],
    ['between remote.it hosts', 'https://api.remot3.it/apv/v27', 'https://api.remote.it/apv/v27'],
    ['from a damaged setting', 'not a url', 'https://api.remot3.it/apv/v27'],
  ])('keeps everything for %s', async (_case, previous, next) => {
    expect(await releaseEndpointAccess(previous, [next])).toBe(false);
    expect(fakeBrowser.permissions.remove).not.toHaveBeenCalled();
  });

  test('a browser that refuses to remove the permission does not fail the save', async () => {
    vi.mocked(fakeBrowser.permissions.remove).mockRejectedValueOnce(new Error('required permission'));
    expect(
      await releaseEndpointAccess('https://old.example/apv/v27', ['https://api.remot3.it/apv/v27']),
    ).toBe(false);
  });
});
