import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test } from 'vitest';
import { endpointOrigins, requestEndpointAccess, validateEndpoint } from '../../src/options/endpoint-access';

describe('the API endpoint setting', () => {
  test.each([
    ['https://api.remot3.it/apv/v27', 'https://api.remot3.it/apv/v27'],
    [' http://127.0.0.1:8787/apv/v27/ ', 'http://127.0.0.1:8787/apv/v27'],
  ])('%j is saved as %s', (input, endpoint) => expect(validateEndpoint(input)).toEqual({ endpoint }));

  test.each([
    ['api.remot3.it/apv/v27', /full URL/],
    ['ftp://api.remot3.it/apv/v27', /https:\/\/ or http:\/\//],
    ['javascript:alert(1)', /https:\/\/ or http:\/\//],
    ['https://me:secret@api.remot3.it/apv/v27', /user name or password/],
    ['https://api.remot3.it/apv/v27?debug=1', /query/],
  ])('%j is refused: %s', (input, message) =>
    expect(validateEndpoint(input)).toEqual({ error: expect.stringMatching(message) }),
  );

  test('remote.it needs no extra permission; another host asks for that host only, on any port', async () => {
    expect(endpointOrigins('https://api.remot3.it/apv/v27')).toEqual([]);
    expect(endpointOrigins('https://api.remote.it/apv/v27')).toEqual([]);
    expect(endpointOrigins('http://api.remot3.it/apv/v27')).toEqual(['http://api.remot3.it/*']);
    expect(endpointOrigins('http://127.0.0.1:8787/apv/v27')).toEqual(['http://127.0.0.1/*']);
    await requestEndpointAccess('http://127.0.0.1:8787/apv/v27');
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
  });
});
