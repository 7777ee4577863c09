/**
 * The access-key signer against vectors worked out by hand from the recipe in spec 5.4: the signing strings
 * below are written out literally, and each expected signature was computed once, outside this code, with
 * Node's crypto.createHmac('sha256', base64-decoded secret).
 */
import { describe, expect, test } from 'vitest';
import {
  authorizationHeader,
  SecretFormatError,
  signingString,
  type SigningInput,
} from '../../src/shared/graphql/sign';

const DATE = 'Tue, 01 Dec 2026 12:00:00 GMT';

/** remote.it's host, a body whose é takes two UTF-8 bytes (59 characters, 60 bytes). */
const WITH_BODY: SigningInput = {
  keyId: 'TESTKEY',
  secret: 'c2VjcmV0LWtleS1mb3ItdGVzdHM=', // base64 of "secret-key-for-tests"
  method: 'POST',
  url: 'https://api.remote.it/graphql/v1',
  date: DATE,
  contentType: 'application/json',
  body: '{"query":"{ login { email } }","variables":{"name":"Café"}}',
};

/** A loopback host with a port, a query string, a lower-case method and no body. */
const WITHOUT_BODY: SigningInput = {
  ...WITH_BODY,
  method: 'post',
  url: 'http://127.0.0.1:8787/graphql/v1?trace=1',
  body: undefined,
};

describe('signing string', () => {
  test('with a body: five headers, content-length in UTF-8 bytes, no trailing newline', () => {
    const result = signingString(WITH_BODY);
    expect(result.headers).toEqual(['(request-target)', 'host', 'date', 'content-type', 'content-length']);
    expect(result.text).toBe(
      '(request-target): post /graphql/v1\n' +
        'host: api.remote.it\n' +
        'date: Tue, 01 Dec 2026 12:00:00 GMT\n' +
        'content-type: application/json\n' +
        'content-length: 60',
    );
  });

  test('without a body: four headers; the target keeps its query and the host its port', () => {
    const result = signingString(WITHOUT_BODY);
    expect(result.headers).toEqual(['(request-target)', 'host', 'date', 'content-type']);
    expect(result.text).toBe(
      '(request-target): post /graphql/v1?trace=1\n' +
        'host: 127.0.0.1:8787\n' +
        'date: Tue, 01 Dec 2026 12:00:00 GMT\n' +
        'content-type: application/json',
    );
  });
});

describe('Authorization header', () => {
  test('matches the hand-computed vector with content-length', async () => {
    expect(await authorizationHeader(WITH_BODY)).toBe(
      'Signature keyId="TESTKEY",algorithm="hmac-sha256",' +
        'headers="(request-target) host date content-type content-length",' +
        'signature="/dFk5EXWG9ucrxyejCG4kxQwO0sZivWqYe+LYAQOt70="',
    );
  });

  test('matches the hand-computed vector without content-length', async () => {
    expect(await authorizationHeader(WITHOUT_BODY)).toBe(
      'Signature keyId="TESTKEY",algorithm="hmac-sha256",headers="(request-target) host date content-type",' +
        'signature="vXwDd+/dyIwaiLU/uRSviSAw9hE3A2qVohG6+bLQ55E="',
    );
  });

  test.each(['not base64!', ''])('the secret %j cannot sign', async (secret) => {
    await expect(authorizationHeader({ ...WITH_BODY, secret })).rejects.toThrow(SecretFormatError);
  });
});
