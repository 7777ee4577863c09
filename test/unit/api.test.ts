/** The REST client against the simulator over real HTTP. */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  connect,
  listServices,
  login,
  loginWithAuthhash,
  stopConnection,
  type ApiConfig,
} from '../../src/shared/api';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD, MFA_EMAIL } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { apiFailure } from '../api-failure';

let simulator: Simulator;
let config: ApiConfig;
beforeAll(async () => {
  simulator = await startSimulator();
  config = { endpoint: simulator.apiBase, developerKey: DEMO_DEVELOPER_KEY, timeoutMs: 2000 };
});
afterEach(() => simulator.reset());
afterAll(() => simulator.close());

const SSH = '80:00:00:00:00:01:2B:01';

describe('login', () => {
  test('returns the token, its expiry in milliseconds and the authhash', async () => {
    const result = await login(config, DEMO_EMAIL, DEMO_PASSWORD);
    expect(result.token).toMatch(/^[0-9a-f]{32}$/);
    expect(result.expiresAt).toBeGreaterThan(Date.now());
    expect(result.authhash).toMatch(/^[0-9A-F]{40}$/);
    expect(await loginWithAuthhash(config, DEMO_EMAIL, result.authhash!)).toMatchObject({
      email: DEMO_EMAIL,
    });
  });

  test('sends the developer key header and the documented body', async () => {
    await login(config, DEMO_EMAIL, DEMO_PASSWORD);
    const [entry] = simulator.calls('user/login');
    expect(entry?.headers.developerkey).toBe(DEMO_DEVELOPER_KEY);
    expect(entry?.body).toEqual({ username: DEMO_EMAIL, password: DEMO_PASSWORD });
  });

  test('wrong password, bad developer key and MFA accounts each get their own kind and the API reason', async () => {
    const wrong = await apiFailure(login(config, DEMO_EMAIL, 'wrong'));
    expect(wrong.kind).toBe('credentials');
    expect(wrong.message).toContain('[0102] The username or password is invalid');
    const badKey = await apiFailure(login({ ...config, developerKey: 'nope' }, DEMO_EMAIL, DEMO_PASSWORD));
    expect(badKey.kind).toBe('developer-key');
    expect(badKey.message).toContain('api key failed validation');
    const mfa = await apiFailure(login(config, MFA_EMAIL, DEMO_PASSWORD));
    expect(mfa.kind).toBe('mfa');
    expect(mfa.message).toMatch(/two-factor/);
  });

  test('the password never appears in an error message', async () => {
    simulator.addFault({ fault: 'html-500' });
    const error = await apiFailure(login(config, DEMO_EMAIL, 'secret-password-123'));
    expect(error.message).not.toContain('secret-password-123');
  });
});

describe('broken replies', () => {
  test('an HTML error page says so, with its title, and is transient', async () => {
    simulator.addFault({ fault: 'html-500' });
    const error = await apiFailure(login(config, DEMO_EMAIL, DEMO_PASSWORD));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('HTTP 500: Slim Application Error');
    expect(error.transient).toBe(true);
  });

  test('malformed JSON, missing fields, status false without a reason', async () => {
    simulator.addFault({ fault: 'malformed-json', times: 1 });
    expect((await apiFailure(login(config, DEMO_EMAIL, DEMO_PASSWORD))).kind).toBe('bad-response');
    simulator.addFault({ fault: 'missing-fields', times: 1 });
    expect((await apiFailure(login(config, DEMO_EMAIL, DEMO_PASSWORD))).message).toMatch(
      /missing the session token/,
    );
    simulator.addFault({ fault: 'status-false-no-reason', times: 1 });
    expect((await apiFailure(login(config, DEMO_EMAIL, DEMO_PASSWORD))).message).toMatch(
      /without saying why/,
    );
  });

  test('API down is a network error naming the host; a slow API is a timeout', async () => {
    simulator.addFault({ fault: 'down', times: 1 });
    const down = await apiFailure(login(config, DEMO_EMAIL, DEMO_PASSWORD));
    expect(down.kind).toBe('network');
    expect(down.message).toContain(`127.0.0.1:${simulator.port}`);
    simulator.addFault({ fault: 'slow', delayMs: 1500, times: 1 });
    const slow = await apiFailure(login({ ...config, timeoutMs: 300 }, DEMO_EMAIL, DEMO_PASSWORD));
    expect(slow.kind).toBe('timeout');
    expect(slow.transient).toBe(true);
  });
});

describe('services and connections', () => {
  test('lists services; an expired token is a "token" error', async () => {
    const { token } = await login(config, DEMO_EMAIL, DEMO_PASSWORD);
    const services = await listServices(config, token);
    expect(services.map((service) => service.devicealias)).toContain('Garage Pi - SSH');
    simulator.expireTokens();
    expect((await apiFailure(listServices(config, token))).kind).toBe('token');
  });

  test('connect sends wait "true" and hostip, reads the string expirationsec; stop ends it', async () => {
    const { token } = await login(config, DEMO_EMAIL, DEMO_PASSWORD);
    const result = await connect(config, token, SSH, '255.255.255.255');
    expect(simulator.calls('device/connect')[0]?.body).toEqual({
      deviceaddress: SSH,
      wait: 'true',
      hostip: '255.255.255.255',
    });
    expect(result).toMatchObject({ reverseProxy: false, expiresInSec: 28_800 });
    expect(result.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await stopConnection(config, token, SSH, result.connectionId);
    expect(simulator.liveConnections()).toHaveLength(0);
    const again = await apiFailure(stopConnection(config, token, SSH, result.connectionId));
    // The documented 401 for an unknown connection is not mistaken for an expired session.
    expect(again.kind).toBe('api');
    expect(again.transient).toBe(false);
  });

  test('an offline service fails with the API reason', async () => {
    const { token } = await login(config, DEMO_EMAIL, DEMO_PASSWORD);
    const error = await apiFailure(connect(config, token, '80:00:00:00:00:04:2B:01', '0.0.0.0'));
    expect(error.kind).toBe('api');
    expect(error.message).toMatch(/inactive/);
  });
});

describe('what a refusal is about', () => {
  test.each([
    ['invalid or expired token', 'token'],
    ['connection 1234 already expired', 'api'],
    ['proxy session expired', 'api'],
  ])('a 401 saying "%s" is a %s error', async (reason, kind) => {
    const spy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify({ status: 'false', reason }), { status: 401 }));
    const error = await apiFailure(stopConnection(config, 'TOKEN', SSH, '1234'));
    spy.mockRestore();
    expect(error.kind).toBe(kind);
  });
});
