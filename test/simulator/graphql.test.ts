/** The simulator's GraphQL API against spec 5.1/5.4: signed requests, listing, connect modes, sessions, faults. */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, test } from 'vitest';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
  FRIEND_EMAIL,
  MFA_ACCESS_KEY_ID,
  MFA_ACCESS_KEY_SECRET,
} from './demo-data';
import { GARAGE_SSH_ID, GARAGE_WEB_ID, OFFLINE_SSH_ID, simulatorPerFile } from './per-file';
import { readBanner } from './read-banner';

const env = simulatorPerFile();

const SSH = GARAGE_SSH_ID;
const WEB = GARAGE_WEB_ID;
const OFFLINE_SSH = OFFLINE_SSH_ID;
const FRIEND_SSH = '80:00:00:00:F0:01:2B:01';

const LIST = `query($size:Int,$from:Int){ login { id email devices(size:$size, from:$from) { total hasMore items { id name state owner { id email } services { id name state online application title port protocol enabled } } } } applicationTypes { id name port proxy scheme protocol } }`;
const CONNECT = `mutation($serviceId:String!,$hostIP:String){ connect(serviceId:$serviceId, hostIP:$hostIP){ id created host port reverseProxy timeout } }`;
const DISCONNECT = `mutation($serviceId:String!,$connectionId:String!){ disconnect(serviceId:$serviceId, connectionId:$connectionId) }`;
const SESSIONS = `query{ login { id sessions { id timestamp source endpoint { proxy platform } user { id email } target { id name application device { id name } } } } }`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw POST with exactly these headers (node:http lets a test set Host and Date as it likes). */
function post(headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port: env.simulator.port, path: '/graphql/v1', method: 'POST', headers },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

interface Signing {
  keyId?: string;
  secret?: string;
  date?: string | null;
  /** The declared header list; remote.it's docs sign content-length too, its Postman script does not. */
  signed?: string[];
  host?: string;
  extraHeaders?: Record<string, string>;
}

/** The test's own signer, straight from the recipe: HMAC-SHA256 with the base64-decoded secret. */
async function signedPost(body: object, signing: Signing = {}): Promise<Reply> {
  const text = JSON.stringify(body);
  const host = signing.host ?? `127.0.0.1:${env.simulator.port}`;
  const date = signing.date === undefined ? new Date().toUTCString() : signing.date;
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...signing.extraHeaders,
  };
  if (date !== null) headers.date = date;
  const signed = signing.signed ?? ['(request-target)', 'host', 'date', 'content-type', 'content-length'];
  const lines = signed.map((name) =>
    name === '(request-target)' ? `${name}: post /graphql/v1` : `${name}: ${headers[name] ?? date}`,
  );
  const signature = createHmac('sha256', Buffer.from(signing.secret ?? DEMO_ACCESS_KEY_SECRET, 'base64'))
    .update(lines.join('\n'))
    .digest('base64');
  headers.authorization = `Signature keyId="${signing.keyId ?? DEMO_ACCESS_KEY_ID}",algorithm="hmac-sha256",headers="${signed.join(' ')}",signature="${signature}"`;
  return post(headers, text);
}

// Assertions walk the parsed answer freely: a wrong path fails the assertion, not the build.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function gql(query: string, variables: object = {}, signing?: Signing) {
  const reply = await signedPost({ query, variables }, signing);
  return { ...reply, json: JSON.parse(reply.text) as { data?: Json; errors?: { message?: string }[] } };
}

describe('request signing', () => {
  test('a fixed vector computed by hand: Host api.remote.it, a fixed Date, four signed headers', async () => {
    const date = 'Tue, 01 Dec 2026 12:00:00 GMT';
    env.simulator.configure({ clockOffsetMs: Date.parse(date) - Date.now() });
    // (request-target): post /graphql/v1\nhost: api.remote.it\ndate: Tue, 01 Dec 2026 12:00:00 GMT\n
    // content-type: application/json, HMAC-SHA256 with the demo secret, computed once with `node -e`.
    const signature = 'iDUUQB4qSq8/hOFQrsZkerhBM6KD9UPwjyIEWSxtPIA=';
    const reply = await post(
      {
        host: 'api.remote.it',
        date,
        'content-type': 'application/json',
        authorization: `Signature keyId="${DEMO_ACCESS_KEY_ID}",algorithm="hmac-sha256",headers="(request-target) host date content-type",signature="${signature}"`,
      },
      '{"query":"{ login { email } }"}',
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ data: { login: { email: DEMO_EMAIL } } });
  });

  test.each([
    ['with content-length', ['(request-target)', 'host', 'date', 'content-type', 'content-length']],
    ['without content-length (Postman)', ['(request-target)', 'host', 'date', 'content-type']],
  ])('the declared header list is what is checked: %s', async (_, signed) => {
    const { status, json } = await gql('{ login { email } }', {}, { signed });
    expect(status).toBe(200);
    expect(json.data.login.email).toBe(DEMO_EMAIL);
  });

  test('an unsigned call gets plain-text Unauthorized with 401', async () => {
    const reply = await post({ 'content-type': 'application/json' }, '{"query":"{ login { email } }"}');
    expect(reply).toMatchObject({ status: 401, text: 'Unauthorized' });
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
  });

  test('missing Date, stale Date and unknown key are 401; a wrong secret or tampered header is 403', async () => {
    const wrongSecret = Buffer.from('not the secret').toString('base64');
    const cases: [Signing, number, RegExp][] = [
      [{ date: null }, 401, /Missing Date/],
      [{ date: new Date(Date.now() - 6 * 60_000).toUTCString() }, 401, /Invalid Date/],
      [{ date: new Date(Date.now() + 6 * 60_000).toUTCString() }, 401, /Invalid Date/],
      [{ keyId: 'NOSUCHKEY00000000000' }, 401, /Unknown access key/],
      [{ signed: ['(request-target)', 'date', 'content-type'] }, 401, /must cover host/],
      [{ secret: wrongSecret }, 403, /Invalid signature/],
      [{ signed: ['(request-target)', 'host', 'date', 'x-missing'] }, 403, /x-missing/],
    ];
    for (const [signing, status, message] of cases) {
      const reply = await gql('{ login { email } }', {}, signing);
      expect(reply.status, JSON.stringify(signing)).toBe(status);
      expect(reply.json.errors?.[0]?.message).toMatch(message);
    }
  });

  test('a Date within the skew passes; the skew is configurable', async () => {
    const fourMinutesAgo = new Date(Date.now() - 4 * 60_000).toUTCString();
    expect((await gql('{ login { email } }', {}, { date: fourMinutesAgo })).status).toBe(200);
    env.simulator.configure({ signatureSkewSec: 10 });
    const twentySecondsAhead = new Date(Date.now() + 20_000).toUTCString();
    expect((await gql('{ login { email } }', {}, { date: twentySecondsAhead })).status).toBe(401);
  });

  test("the server's clock offset shows in its Date header and decides what is stale", async () => {
    env.simulator.configure({ clockOffsetMs: 3_600_000 });
    const reply = await gql('{ login { email } }');
    expect(reply.status).toBe(401);
    const serverDate = Date.parse(String(reply.headers.date));
    expect(Math.abs(serverDate - (Date.now() + 3_600_000))).toBeLessThan(5000);
    const corrected = new Date(Date.now() + 3_600_000).toUTCString();
    expect((await gql('{ login { email } }', {}, { date: corrected })).status).toBe(200);
  });

  test('the call log names the operation and keeps the Date and Authorization that arrived', async () => {
    await gql(LIST, { size: 10 });
    const [entry] = env.simulator.calls('graphql:devices');
    expect(entry?.status).toBe(200);
    expect(Date.parse(entry!.headers.date!)).toBeGreaterThan(Date.now() - 10_000);
    expect(entry?.headers.authorization).toMatch(
      /^Signature keyId="DEMOACCESSKEY0123456",algorithm="hmac-sha256"/,
    );
    expect(entry?.body).toMatchObject({ variables: { size: 10 } });
  });
});

describe('listing', () => {
  test('devices with owner and services, the Bulk Service among them, and applicationTypes with proxy', async () => {
    const { json } = await gql(LIST, {});
    const { login, applicationTypes } = json.data;
    expect(login.email).toBe(DEMO_EMAIL);
    expect(login.devices).toMatchObject({ total: 4, hasMore: false });
    const garage = login.devices.items[0];
    expect(garage).toMatchObject({
      name: 'Garage Pi',
      state: 'active',
      owner: { id: login.id, email: DEMO_EMAIL },
    });
    expect(garage.services.map((service: { application: number }) => service.application)).toEqual([
      35, 28, 7,
    ]);
    expect(garage.services[1]).toEqual({
      id: SSH,
      name: 'Garage Pi - SSH',
      state: 'active',
      online: true,
      application: 28,
      title: 'SSH',
      port: 22,
      protocol: 'TCP',
      enabled: true,
    });
    expect(login.devices.items[3]).toMatchObject({ name: 'Cabin Pi', state: 'inactive' });
    const proxied = applicationTypes.filter((type: { proxy: boolean }) => type.proxy);
    expect(proxied.map((type: { id: number }) => type.id)).toEqual([7, 8, 30, 33]);
    expect(applicationTypes.find((type: { id: number }) => type.id === 28)).toEqual({
      id: 28,
      name: 'SSH',
      port: 22,
      proxy: false,
      scheme: 'ssh',
      protocol: 'TCP',
    });
  });

  test('answers only the selected fields and refuses unknown ones', async () => {
    const { json } = await gql('{ login { devices(size: 1) { items { name } } } }');
    expect(json.data).toEqual({ login: { devices: { items: [{ name: 'Garage Pi' }] } } });
    const unknown = await gql('{ login { devices { items { colour } } } }');
    expect(unknown.status).toBe(200);
    expect(unknown.json.errors?.[0]?.message).toMatch(/Cannot query field "colour"/);
  });

  test('pages with size and from; size defaults to 100 and may not pass 1000', async () => {
    await env.simulator.reset({ scale: 1500 });
    const first = (await gql(LIST, {})).json.data.login.devices;
    expect(first).toMatchObject({ total: 375, hasMore: true });
    expect(first.items).toHaveLength(100);
    const last = (await gql(LIST, { size: 100, from: 300 })).json.data.login.devices;
    expect(last).toMatchObject({ total: 375, hasMore: false });
    expect(last.items).toHaveLength(75);
    expect(last.items[0].name).toBe('Device 0301');
    const tooBig = await gql(LIST, { size: 1001 });
    expect(tooBig.json.errors?.[0]?.message).toMatch(/size/);
  });

  test('shared devices appear with their owner, on GraphQL and v27, only when sharing is on', async () => {
    expect((await gql(LIST, {})).json.data.login.devices.total).toBe(4);
    await env.simulator.reset({ sharedDevices: true });
    const { login } = (await gql(LIST, {})).json.data;
    const friends = login.devices.items.at(-1);
    expect(friends).toMatchObject({ name: "Friend's Pi", owner: { email: FRIEND_EMAIL } });
    expect(friends.owner.id).not.toBe(login.id);

    const token = await fetch(`${env.simulator.apiBase}/user/login`, {
      method: 'POST',
      headers: { developerkey: DEMO_DEVELOPER_KEY },
      body: JSON.stringify({ username: DEMO_EMAIL, password: DEMO_PASSWORD }),
    }).then(async (response) => ((await response.json()) as { token: string }).token);
    const v27 = (await fetch(`${env.simulator.apiBase}/device/list/all`, {
      headers: { developerkey: DEMO_DEVELOPER_KEY, token },
    }).then((response) => response.json())) as { devices: Record<string, string>[] };
    expect(v27.devices.find((device) => device.deviceaddress === FRIEND_SSH)).toMatchObject({
      ownerusername: FRIEND_EMAIL,
      shared: 'shared-from',
    });
    expect(v27.devices.find((device) => device.deviceaddress === SSH)?.shared).toBe('not-shared');
  });

  test('a two-factor account signs with its own key and sees its own (empty) account', async () => {
    const { json } = await gql(LIST, {}, { keyId: MFA_ACCESS_KEY_ID, secret: MFA_ACCESS_KEY_SECRET });
    expect(json.data.login).toMatchObject({ email: 'mfa@example.com', devices: { total: 0, items: [] } });
  });
});

describe('connect and disconnect', () => {
  test('a port proxy: host and port of a live listener, timeout in seconds, latching by default', async () => {
    const { json } = await gql(CONNECT, { serviceId: SSH });
    const connection = json.data.connect;
    expect(connection).toMatchObject({ host: '127.0.0.1', reverseProxy: false, timeout: 28_800 });
    expect(Date.parse(connection.created)).toBeGreaterThan(Date.now() - 10_000);
    expect(await readBanner(connection.port)).toMatch(/^SSH-2\.0-/);
    expect(env.simulator.liveConnections()[0]).toMatchObject({
      connectionId: connection.id,
      hostip: '255.255.255.255',
      mode: 'latching',
    });
  });

  test.each([
    [null, '255.255.255.255', 'latching'],
    ['0.0.0.0', '0.0.0.0', 'public'],
    ['255.255.255.255', '255.255.255.255', 'latching'],
    ['198.51.100.7', '198.51.100.7', 'restricted'],
  ])('hostIP %s is recorded as %s (%s)', async (hostIP, hostip, mode) => {
    expect((await gql(CONNECT, { serviceId: SSH, hostIP })).json.data.connect.id).toBeTruthy();
    expect(env.simulator.liveConnections()[0]).toMatchObject({ hostip, mode });
  });

  test('restricted to another IP, the listener refuses this machine', async () => {
    const { json } = await gql(CONNECT, { serviceId: SSH, hostIP: '198.51.100.7' });
    expect(await readBanner(json.data.connect.port)).toBe('');
  });

  test('a web service gets a reverse proxy: port null, host <name>.p18.localhost:<port> over plain http', async () => {
    const { json } = await gql(CONNECT, { serviceId: WEB, hostIP: '0.0.0.0' });
    const connection = json.data.connect;
    expect(connection).toMatchObject({ port: null, reverseProxy: true });
    expect(connection.host).toMatch(/^[0-9a-f]{10}\.p18\.localhost:\d+$/);
    const port = connection.host.split(':')[1];
    expect(await fetch(`http://127.0.0.1:${port}/`).then((response) => response.text())).toContain(
      'Garage Pi - Web UI',
    );
  });

  test('offline, unknown, device and bad-hostIP connects are GraphQL errors with HTTP 200', async () => {
    const cases: [object, RegExp][] = [
      [{ serviceId: OFFLINE_SSH }, /inactive/],
      [{ serviceId: '80:00:00:00:00:09:2B:09' }, /not found/],
      [{ serviceId: '80:00:00:00:00:01:2B:00' }, /device/],
      [{ serviceId: SSH, hostIP: '1.2.3' }, /hostIP/],
    ];
    for (const [variables, message] of cases) {
      const { status, json } = await gql(CONNECT, variables);
      expect(status).toBe(200);
      expect(json.errors?.[0]?.message).toMatch(message);
    }
    expect(env.simulator.liveConnections()).toHaveLength(0);
  });

  test('disconnect ends the connection and closes its listener; an unknown or ended one is an error', async () => {
    const { json } = await gql(CONNECT, { serviceId: SSH, hostIP: '0.0.0.0' });
    const { id, port } = json.data.connect;
    const done = await gql(DISCONNECT, { serviceId: SSH, connectionId: id });
    expect(done.json).toEqual({ data: { disconnect: true } });
    expect(env.simulator.liveConnections()).toHaveLength(0);
    await expect(readBanner(port)).rejects.toThrow(/ECONNREFUSED/);
    const again = await gql(DISCONNECT, { serviceId: SSH, connectionId: id });
    expect(again.json.errors?.[0]?.message).toMatch(/not found/);
  });

  test('a shared service can be connected to', async () => {
    await env.simulator.reset({ sharedDevices: true });
    const { json } = await gql(CONNECT, { serviceId: FRIEND_SSH, hostIP: '0.0.0.0' });
    expect(json.data.connect.reverseProxy).toBe(false);
  });
});

describe('sessions', () => {
  test("lists the account's live connections, v27 and foreign ones included, with their fields", async () => {
    const mine = (await gql(CONNECT, { serviceId: SSH, hostIP: '0.0.0.0' })).json.data.connect;
    const foreign = await env.simulator.openForeignSession(WEB);
    const { json } = await gql(SESSIONS);
    const sessions = json.data.login.sessions as Json[];
    expect(sessions.map((session) => session.id)).toEqual([mine.id, foreign.connectionId]);
    expect(sessions[0]).toEqual({
      id: mine.id,
      timestamp: mine.created,
      source: '127.0.0.1',
      endpoint: { proxy: true, platform: 'GraphQL API' },
      user: { id: json.data.login.id, email: DEMO_EMAIL },
      target: {
        id: SSH,
        name: 'Garage Pi - SSH',
        application: 28,
        device: { id: '80:00:00:00:00:01:2B:00', name: 'Garage Pi' },
      },
    });
    expect(sessions[1]).toMatchObject({
      source: '198.51.100.23',
      endpoint: { platform: 'remote.it Desktop' },
    });
    const other = await gql(SESSIONS, {}, { keyId: MFA_ACCESS_KEY_ID, secret: MFA_ACCESS_KEY_SECRET });
    expect(other.json.data.login.sessions).toEqual([]);
  });

  test('an ended connection is no longer listed', async () => {
    const foreign = await env.simulator.openForeignSession(SSH);
    await gql(DISCONNECT, { serviceId: SSH, connectionId: foreign.connectionId });
    expect((await gql(SESSIONS)).json.data.login.sessions).toEqual([]);
  });
});

describe('faults', () => {
  test('a rule for graphql:connect leaves the listing alone', async () => {
    env.simulator.addFault({ fault: 'html-500', path: 'graphql:connect' });
    expect((await gql(LIST, {})).status).toBe(200);
    const reply = await signedPost({ query: CONNECT, variables: { serviceId: SSH } });
    expect(reply.status).toBe(500);
    expect(reply.text).toContain('Slim Application Error');
  });

  test('down, html-404, malformed JSON and slow, as on v27', async () => {
    env.simulator.addFault({ fault: 'down', times: 1 });
    await expect(gql(LIST, {})).rejects.toThrow();
    env.simulator.addFault({ fault: 'html-404', times: 1 });
    expect((await signedPost({ query: LIST })).status).toBe(404);
    env.simulator.addFault({ fault: 'malformed-json', times: 1 });
    const malformed = await signedPost({ query: LIST });
    expect(() => JSON.parse(malformed.text)).toThrow();
    env.simulator.addFault({ fault: 'slow', delayMs: 300, times: 1 });
    const started = Date.now();
    await gql(LIST, {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('rate-limited: HTTP 429 with Retry-After', async () => {
    env.simulator.addFault({ fault: 'rate-limited', retryAfterSec: 7, times: 1 });
    const reply = await signedPost({ query: LIST });
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('7');
    expect((await gql(LIST, {})).status).toBe(200);
  });

  test('a refusal without a message, missing fields and a rogue host', async () => {
    env.simulator.addFault({ fault: 'status-false-no-reason', times: 1 });
    expect((await gql(LIST, {})).json).toEqual({ data: null, errors: [{}] });
    env.simulator.addFault({ fault: 'missing-fields', times: 1 });
    expect((await gql(CONNECT, { serviceId: SSH })).json.data).toEqual({ connect: {} });
    env.simulator.addFault({ fault: 'rogue-proxy', times: 1 });
    expect((await gql(CONNECT, { serviceId: SSH })).json.data.connect).toMatchObject({
      host: 'login.example.com',
      port: null,
    });
  });

  test('an X-R3-Warning header can be added to every answer', async () => {
    env.simulator.configure({ warningHeader: '121 client deprecated' });
    expect((await gql(LIST, {})).headers['x-r3-warning']).toBe('121 client deprecated');
  });
});
