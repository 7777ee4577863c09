/** The simulator against the v27 spec: every endpoint, the documented samples, faults, modes and expiry. */
import { describe, expect, test } from 'vitest';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD, MFA_EMAIL } from './demo-data';
import { GARAGE_SSH_ID, GARAGE_WEB_ID, OFFLINE_SSH_ID, simulatorPerFile } from './per-file';
import { readBanner } from './read-banner';

const env = simulatorPerFile();

const SSH = GARAGE_SSH_ID;
const WEB = GARAGE_WEB_ID;
const OFFLINE_SSH = OFFLINE_SSH_ID;

async function call(
  path: string,
  init: { body?: string | object; headers?: Record<string, string>; method?: string } = {},
) {
  const response = await fetch(`${env.simulator.apiBase}/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.headers ?? { developerkey: DEMO_DEVELOPER_KEY, 'content-type': 'application/json' },
    body: typeof init.body === 'string' ? init.body : init.body && JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function token(): Promise<string> {
  const { json } = await call('user/login', { body: { username: DEMO_EMAIL, password: DEMO_PASSWORD } });
  return json.token as string;
}

async function authed(path: string, body?: object, tokenValue?: string) {
  return call(path, {
    body,
    headers: { developerkey: DEMO_DEVELOPER_KEY, token: tokenValue ?? (await token()) },
  });
}

describe('user/login', () => {
  test('returns a token, a numeric expiry and the authhash, with string status', async () => {
    const { status, json } = await call('user/login', {
      body: { username: DEMO_EMAIL, password: DEMO_PASSWORD },
    });
    expect(status).toBe(200);
    expect(json.status).toBe('true');
    expect(json.token).toMatch(/^[0-9a-f]{32}$/);
    expect(json.auth_token).toBe(json.token);
    expect(typeof json.auth_expiration).toBe('number');
    expect(json.service_authhash).toMatch(/^[0-9A-F]{40}$/);
    expect(json.commerical_setting).toBe('FREE');
  });

  test('a wrong password is a 401 with the [0102] reason', async () => {
    const { status, json } = await call('user/login', { body: { username: DEMO_EMAIL, password: 'nope' } });
    expect(status).toBe(401);
    expect(json).toEqual({
      status: 'false',
      reason: '[0102] The username or password is invalid',
      code: 'GENERAL_ERROR',
    });
  });

  test('a bad developer key is a 401 "api key failed validation"', async () => {
    const { status, json } = await call('user/login', {
      body: { username: DEMO_EMAIL, password: DEMO_PASSWORD },
      headers: { developerkey: 'WRONG' },
    });
    expect(status).toBe(401);
    expect(json.reason).toBe('api key failed validation');
  });

  test('an unknown user is "missing user"', async () => {
    const { json } = await call('user/login', { body: { username: 'nobody@example.com', password: 'x' } });
    expect(json.reason).toBe('missing user');
  });

  test('a two-factor account is refused with an MFA code', async () => {
    const { status, json } = await call('user/login', {
      body: { username: MFA_EMAIL, password: DEMO_PASSWORD },
    });
    expect(status).toBe(200);
    expect(json.status).toBe('false');
    expect(json.code).toBe('SOFTWARE_TOKEN_MFA');
  });

  test('header names are case-insensitive and the body is JSON whatever the Content-Type (curl sample)', async () => {
    const { json } = await call('user/login', {
      body: `{"username":"${DEMO_EMAIL}","password":"${DEMO_PASSWORD}"}`,
      headers: { DeveloperKey: DEMO_DEVELOPER_KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(json.status).toBe('true');
  });
});

describe('user/login/authhash', () => {
  test('logs in again with the authhash instead of the password', async () => {
    const first = await call('user/login', { body: { username: DEMO_EMAIL, password: DEMO_PASSWORD } });
    const { json } = await call('user/login/authhash', {
      body: { username: DEMO_EMAIL, authhash: first.json.service_authhash },
    });
    expect(json.status).toBe('true');
    expect(json.token).not.toBe(first.json.token);
  });

  test('a wrong authhash is refused like a wrong password', async () => {
    const { status, json } = await call('user/login/authhash', {
      body: { username: DEMO_EMAIL, authhash: 'BAD' },
    });
    expect(status).toBe(401);
    expect(json.reason).toMatch(/\[0102\]/);
  });
});

describe('device/list/all', () => {
  test('lists every service plus a Bulk Service entry per device, with the real field types', async () => {
    const { json, text } = await authed('device/list/all');
    const devices = json.devices as Record<string, unknown>[];
    expect(json.status).toBe('true');
    expect(typeof json.cache_expires).toBe('number');
    expect(devices.filter((device) => device.servicetitle === 'Bulk Service')).toHaveLength(4);
    const ssh = devices.find((device) => device.deviceaddress === SSH)!;
    expect(ssh).toMatchObject({
      devicealias: 'Garage Pi - SSH',
      devicestate: 'active',
      servicetitle: 'SSH',
      webenabled: '1',
      scripting: true,
    });
    expect(ssh.devicetype).toBe('00:1C:00:00:00:04:00:05:04:60:00:16:00:01:00:00');
    expect(devices.find((device) => device.deviceaddress === OFFLINE_SSH)?.devicestate).toBe('inactive');
    expect(text).toContain('"weburi":"\\/ssh\\/index.php"');
  });

  test('without a token: "missing api token"; with an expired one: a status-false failure', async () => {
    expect((await call('device/list/all')).json.reason).toBe('missing api token');
    const current = await token();
    env.simulator.expireTokens();
    const { status, json } = await authed('device/list/all', undefined, current);
    expect(status).toBe(200);
    expect(json.status).toBe('false');
  });

  test('the expired-token reply can be a 401 instead', async () => {
    env.simulator.configure({ expiredTokenResponse: 'http-401' });
    const current = await token();
    env.simulator.expireTokens();
    expect((await authed('device/list/all', undefined, current)).status).toBe(401);
  });

  test('tokens expire after their lifetime', async () => {
    env.simulator.configure({ tokenLifetimeSec: 0 });
    expect((await authed('device/list/all')).json.status).toBe('false');
  });

  test('scale mode lists thousands of services', async () => {
    await env.simulator.reset({ scale: 5000 });
    const { json } = await authed('device/list/all');
    const services = (json.devices as { servicetitle: string }[]).filter(
      (device) => device.servicetitle !== 'Bulk Service',
    );
    expect(services).toHaveLength(5000);
  });
});

describe('device/connect', () => {
  test('an SSH service gets a port proxy: a live TCP listener with an SSH banner, string expirationsec', async () => {
    const { json, text } = await authed('device/connect', {
      deviceaddress: SSH,
      wait: 'true',
      hostip: '0.0.0.0',
    });
    const connection = json.connection as Record<string, unknown>;
    expect(json.status).toBe('true');
    expect(json.connectionid).toBe(connection.connectionid);
    expect(connection.reverseProxy).toBe(false);
    expect(connection.expirationsec).toBe('28800');
    expect(typeof connection.proxyport).toBe('string');
    expect(connection.proxy).toBe(`http://127.0.0.1:${connection.proxyport}`);
    expect(text).toContain('"proxy":"http:\\/\\/127.0.0.1:');
    expect(connection.requested).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4}T\d{1,2}:\d{2} (AM|PM)$/);
    expect(await readBanner(Number(connection.proxyport))).toMatch(/^SSH-2\.0-/);
  });

  test('a web service gets a reverse proxy on *.localhost serving its page', async () => {
    const { json } = await authed('device/connect', {
      deviceaddress: WEB,
      wait: true,
      hostip: '255.255.255.255',
    });
    const connection = json.connection as Record<string, string | boolean>;
    expect(connection.reverseProxy).toBe(true);
    expect(connection.filteredIP).toBe('none');
    const url = new URL(connection.proxy as string);
    expect(url.hostname).toMatch(/^[0-9a-f]{10}\.p18\.localhost$/);
    const page = await fetch(`http://127.0.0.1:${url.port}/`).then((response) => response.text());
    expect(page).toContain('Garage Pi - Web UI');
  });

  test.each([
    ['0.0.0.0', 'public'],
    ['255.255.255.255', 'latching'],
    ['198.51.100.7', 'restricted'],
  ])('hostip %s is recorded as %s', async (hostip, mode) => {
    await authed('device/connect', { deviceaddress: SSH, wait: 'true', hostip });
    expect(env.simulator.liveConnections()[0]).toMatchObject({ hostip, mode });
  });

  test('a connection restricted to another IP refuses loopback clients; latching locks to the first one', async () => {
    const restricted = await authed('device/connect', {
      deviceaddress: SSH,
      wait: 'true',
      hostip: '198.51.100.7',
    });
    const latched = await authed('device/connect', {
      deviceaddress: SSH,
      wait: 'true',
      hostip: '255.255.255.255',
    });
    expect(await readBanner(Number((restricted.json.connection as Record<string, string>).proxyport))).toBe(
      '',
    );
    expect(await readBanner(Number((latched.json.connection as Record<string, string>).proxyport))).toMatch(
      /^SSH/,
    );
    const live = env.simulator.liveConnections().find((connection) => connection.mode === 'latching')!;
    expect(live.listener.filter).toEqual({ kind: 'latching', latchedIp: '127.0.0.1' });
  });

  test.each([
    ['missing', {}],
    ['null', { hostip: null }],
  ])('a %s hostip restricts the proxy to the caller IP, as documented', async (_, hostip) => {
    const { json } = await authed('device/connect', { deviceaddress: SSH, wait: 'true', ...hostip });
    expect(json.status).toBe('true');
    expect(env.simulator.liveConnections()[0]).toMatchObject({ hostip: '127.0.0.1', mode: 'restricted' });
    expect((json.connection as Record<string, string>).filteredIP).toBe('127.0.0.1');
  });

  test('offline, unknown, malformed and device (Bulk) addresses fail with HTTP 200 and status "false"', async () => {
    const cases = [
      [OFFLINE_SSH, /inactive/],
      ['80:00:00:00:00:09:2B:09', /\[0861\]/],
      ['not-an-id', /bad device address/],
      ['80:00:00:00:00:01:2B:00', /Bulk Service/],
    ] as const;
    for (const [deviceaddress, reason] of cases) {
      const { status, json } = await authed('device/connect', {
        deviceaddress,
        wait: 'true',
        hostip: '0.0.0.0',
      });
      expect(status).toBe(200);
      expect(json.status).toBe('false');
      expect(json.reason).toMatch(reason);
    }
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('expirationsec counts down, and expiry closes the listener', async () => {
    env.simulator.configure({ connectionLifetimeSec: 2 });
    const { json } = await authed('device/connect', { deviceaddress: SSH, wait: 'true', hostip: '0.0.0.0' });
    expect((json.connection as Record<string, string>).expirationsec).toBe('2');
    await expect.poll(() => env.simulator.liveConnections().length, { timeout: 5000 }).toBe(0);
    expect([...env.simulator.connections.values()][0]?.endReason).toBe('expired');
    expect([...env.simulator.connections.values()][0]?.listener.closed).toBe(true);
  });

  test('the request bodies of the Python, Node and PHP samples are accepted', async () => {
    const current = await token();
    const bodies = [
      JSON.stringify({ deviceaddress: SSH, wait: 'true', hostip: '0.0.0.0' }), // Python requests json=
      JSON.stringify({ deviceaddress: SSH, wait: true, hostip: '0.0.0.0' }), // Node client
      `{"deviceaddress":"${SSH}","wait":"true","hostip":"0.0.0.0"}`, // PHP json_encode, sent as a form
    ];
    for (const body of bodies) {
      const { json } = await call('device/connect', {
        body,
        headers: {
          developerkey: DEMO_DEVELOPER_KEY,
          token: current,
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      expect(json.status).toBe('true');
    }
  });
});

describe('device/connect/stop', () => {
  test('stops the connection and closes its listener', async () => {
    const current = await token();
    const { json } = await authed(
      'device/connect',
      { deviceaddress: SSH, wait: 'true', hostip: '0.0.0.0' },
      current,
    );
    const connectionid = json.connectionid as string;
    const port = Number((json.connection as Record<string, string>).proxyport);
    const stop = await authed('device/connect/stop', { deviceaddress: SSH, connectionid }, current);
    expect(stop.json).toEqual({ status: 'true', connectionid });
    expect(env.simulator.liveConnections()).toHaveLength(0);
    await expect(readBanner(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  test('missing fields or an unknown connection are 401 with a reason', async () => {
    const current = await token();
    const missing = await authed('device/connect/stop', { deviceaddress: SSH }, current);
    expect(missing.status).toBe(401);
    const unknown = await authed(
      'device/connect/stop',
      { deviceaddress: SSH, connectionid: '00000000-0000-4000-8000-000000000000' },
      current,
    );
    expect(unknown.status).toBe(401);
    expect(unknown.json.status).toBe('false');
  });
});

describe('faults and the call log', () => {
  test('API down: the connection is dropped without an answer', async () => {
    env.simulator.addFault({ fault: 'down' });
    await expect(call('user/login', { body: {} })).rejects.toThrow();
  });

  test('an HTML 500 page, malformed JSON, missing fields, status false without reason', async () => {
    env.simulator.addFault({ fault: 'html-500', times: 1 });
    const html = await fetch(`${env.simulator.apiBase}/user/login`, { method: 'POST', body: '{}' });
    expect(html.status).toBe(500);
    expect(await html.text()).toContain('Slim Application Error');

    env.simulator.addFault({ fault: 'malformed-json', times: 1 });
    const malformed = await fetch(`${env.simulator.apiBase}/user/login`, { method: 'POST', body: '{}' }).then(
      (response) => response.text(),
    );
    expect(() => JSON.parse(malformed)).toThrow();

    env.simulator.addFault({ fault: 'missing-fields', path: 'user/login', times: 1 });
    const { json } = await call('user/login', { body: { username: DEMO_EMAIL, password: DEMO_PASSWORD } });
    expect(json.status).toBe('true');
    expect(json.token).toBeUndefined();

    env.simulator.addFault({ fault: 'status-false-no-reason', times: 1 });
    expect((await call('user/login', { body: {} })).json).toEqual({ status: 'false' });
  });

  test.each(['down', 'html-500', 'html-404', 'malformed-json', 'status-false-no-reason'] as const)(
    'a %s fault on device/connect/stop leaves login and connect alone',
    async (fault) => {
      env.simulator.addFault({ fault, path: 'device/connect/stop', times: 1 });
      const current = await token();
      const { json } = await authed(
        'device/connect',
        { deviceaddress: SSH, wait: 'true', hostip: '0.0.0.0' },
        current,
      );
      expect(json.status).toBe('true');
      // Each of these answers is a hang-up, unreadable or a refusal: the listener must still be live.
      await authed(
        'device/connect/stop',
        { deviceaddress: SSH, connectionid: json.connectionid },
        current,
      ).catch(() => undefined);
      expect(env.simulator.liveConnections()).toHaveLength(1);
      expect(env.simulator.calls('device/connect/stop')[0]?.fault).toBe(fault);
    },
  );

  test('expired-token: the token that reaches the faulty path expires for good, in the configured style', async () => {
    env.simulator.configure({ expiredTokenResponse: 'http-401' });
    env.simulator.addFault({ fault: 'expired-token', path: 'device/connect', times: 1 });
    const current = await token();
    expect((await authed('device/list/all', undefined, current)).json.status).toBe('true');
    const refused = await authed('device/connect', { deviceaddress: SSH, hostip: '0.0.0.0' }, current);
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('INVALID_TOKEN');
    expect((await authed('device/list/all', undefined, current)).status).toBe(401);
    expect((await authed('device/connect', { deviceaddress: SSH, hostip: '0.0.0.0' })).json.status).toBe(
      'true',
    );
  });

  test('expired-token without a path waits for a request that carries a token', async () => {
    env.simulator.addFault({ fault: 'expired-token', times: 1 });
    const current = await token();
    const refused = await authed('device/list/all', undefined, current);
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ status: 'false', code: 'INVALID_TOKEN' });
    expect(env.simulator.calls('user/login')[0]?.fault).toBeUndefined();
    expect((await authed('device/list/all')).json.status).toBe('true');
  });

  test('a slow connect whose client hangs up creates no connection', async () => {
    env.simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 400 });
    const current = await token();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      fetch(`${env.simulator.apiBase}/device/connect`, {
        method: 'POST',
        headers: { developerkey: DEMO_DEVELOPER_KEY, token: current },
        body: JSON.stringify({ deviceaddress: SSH, wait: 'true', hostip: '0.0.0.0' }),
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(env.simulator.connections.size).toBe(0);
  });

  test('the log records every call with its headers and parsed body', async () => {
    await call('user/login', {
      body: { username: DEMO_EMAIL, password: DEMO_PASSWORD },
      headers: { DeveloperKey: DEMO_DEVELOPER_KEY },
    });
    const [entry] = env.simulator.calls('user/login');
    expect(entry).toMatchObject({ method: 'POST', status: 200, body: { username: DEMO_EMAIL } });
    expect(entry?.headers.developerkey).toBe(DEMO_DEVELOPER_KEY);
  });

  test('CORS headers answer extension origins', async () => {
    const response = await fetch(`${env.simulator.apiBase}/user/login`, {
      method: 'OPTIONS',
      headers: { origin: 'chrome-extension://abc' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
    expect(response.headers.get('access-control-allow-headers')).toContain('developerkey');
  });
});
