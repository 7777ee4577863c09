/** The GraphQL client against the simulator over real HTTP: signing, paging, modes, sessions, errors, skew. */
import { describe, expect, test } from 'vitest';
import {
  connect,
  disconnect,
  fetchAccount,
  type GraphqlConfig,
  KEY_REFUSED,
  listServices,
  listSessions,
  type SendSigned,
  sendWithFetch,
  ServerClock,
} from '../../src/shared/graphql/client';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_EMAIL, FRIEND_EMAIL } from '../simulator/demo-data';
import { GARAGE_SSH_ID, GARAGE_WEB_ID, OFFLINE_SSH_ID, simulatorPerFile } from '../simulator/per-file';
import { apiFailure } from '../api-failure';

const env = simulatorPerFile();

const SSH = GARAGE_SSH_ID;
const WEB = GARAGE_WEB_ID;
const OFFLINE_SSH = OFFLINE_SSH_ID;

function config(overrides: Partial<GraphqlConfig> = {}): GraphqlConfig {
  return {
    endpoint: env.simulator.graphqlUrl,
    accessKey: { id: DEMO_ACCESS_KEY_ID, secret: DEMO_ACCESS_KEY_SECRET },
    timeoutMs: 2000,
    clock: new ServerClock(),
    ...overrides,
  };
}

describe('signed requests', () => {
  test('the account answers; the Date that reached remote.it is the one in the signed header list', async () => {
    const { value } = await fetchAccount(config());
    expect(value).toEqual({ id: env.simulator.accounts[0]!.guid, email: DEMO_EMAIL });
    const [entry] = env.simulator.calls('graphql:login');
    expect(entry?.status).toBe(200);
    expect(entry?.headers.authorization).toMatch(
      /^Signature keyId="DEMOACCESSKEY0123456",algorithm="hmac-sha256",headers="\(request-target\) host date content-type content-length",signature="[A-Za-z0-9+/]+=*"$/,
    );
    expect(Math.abs(Date.parse(entry!.headers.date!) - Date.now())).toBeLessThan(5000);
  });

  test('the send hook gets the request with the signed Date, and its response is what counts', async () => {
    const seen: Record<string, string>[] = [];
    const send: SendSigned = (request) => {
      seen.push(request.headers);
      return sendWithFetch(request);
    };
    await fetchAccount(config({ send }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toContain(
      'headers="(request-target) host date content-type content-length"',
    );
    expect(env.simulator.calls('graphql:login')[0]?.headers.date).toBe(seen[0]?.date);
  });

  test('a wrong secret, an unknown key id and a secret that is not base64 are credential errors', async () => {
    const wrongSecret = await apiFailure(
      fetchAccount(config({ accessKey: { id: DEMO_ACCESS_KEY_ID, secret: btoa('wrong secret') } })),
    );
    expect(wrongSecret).toMatchObject({
      kind: 'credentials',
      message: KEY_REFUSED,
      detail: { httpStatus: 403 },
    });
    const unknownKey = await apiFailure(
      fetchAccount(config({ accessKey: { id: 'NOSUCHKEY00000000000', secret: DEMO_ACCESS_KEY_SECRET } })),
    );
    expect(unknownKey).toMatchObject({
      kind: 'credentials',
      message: KEY_REFUSED,
      detail: { httpStatus: 401 },
    });
    const notBase64 = await apiFailure(
      fetchAccount(config({ accessKey: { id: DEMO_ACCESS_KEY_ID, secret: '%%%' } })),
    );
    expect(notBase64.kind).toBe('credentials');
    expect(env.simulator.log).toHaveLength(2);
  });

  test("a skewed clock is refused once, corrected from the server's Date header, and signed again", async () => {
    env.simulator.configure({ clockOffsetMs: 3_600_000 });
    const settings = config();
    expect((await fetchAccount(settings)).value.email).toBe(DEMO_EMAIL);
    expect(env.simulator.calls('graphql:login').map((entry) => entry.status)).toEqual([401, 200]);
    expect(Math.abs(settings.clock.offsetMs - 3_600_000)).toBeLessThan(2000);
  });

  test('a wrong secret is refused without a second try when the clock was right', async () => {
    const settings = config();
    await fetchAccount(settings);
    const refused = await apiFailure(
      fetchAccount({
        ...settings,
        accessKey: { ...settings.accessKey, secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      }),
    );
    expect(refused).toMatchObject({ kind: 'credentials', message: KEY_REFUSED, detail: { httpStatus: 403 } });
    expect(env.simulator.calls('graphql:login').map((entry) => entry.status)).toEqual([200, 403]);
  });
});

describe('listing', () => {
  test('pages through 1,500 services with from and hasMore, leaving out the devices themselves', async () => {
    await env.simulator.reset({ scale: 1500 });
    const { value } = await listServices(config({ pageSize: 100 }));
    expect(
      env.simulator.calls('graphql:devices').map((entry) => (entry.body as { variables: object }).variables),
    ).toEqual([0, 100, 200, 300].map((from) => ({ size: 100, from })));
    expect(value.devices).toHaveLength(375);
    const services = value.devices.flatMap((device) => device.services);
    expect(services).toHaveLength(1500);
    expect(new Set(services.map((service) => service.id)).size).toBe(1500);
    expect(services.some((service) => service.typeId === 35)).toBe(false);
  });

  test('asks for 1000 devices a page by default', async () => {
    await env.simulator.reset({ scale: 5000 });
    const { value } = await listServices(config());
    expect(env.simulator.calls('graphql:devices')).toHaveLength(2);
    expect(value.devices.flatMap((device) => device.services)).toHaveLength(5000);
  });

  test('web vs port by applicationTypes[].proxy; online and ports as listed', async () => {
    const { value } = await listServices(config());
    expect(value.account.email).toBe(DEMO_EMAIL);
    const [garage] = value.devices;
    expect(garage).toMatchObject({
      name: 'Garage Pi',
      online: true,
      shared: false,
      owner: { email: DEMO_EMAIL },
    });
    expect(garage?.services).toEqual([
      {
        id: SSH,
        name: 'Garage Pi - SSH',
        typeId: 28,
        title: 'SSH',
        port: 22,
        online: true,
        enabled: true,
        reverseProxy: false,
      },
      expect.objectContaining({ id: WEB, typeId: 7, reverseProxy: true }),
    ]);
    expect(value.devices.find((device) => device.name === 'Cabin Pi')?.online).toBe(false);
  });

  test('shared devices are listed and marked', async () => {
    await env.simulator.reset({ sharedDevices: true });
    const { value } = await listServices(config());
    const shared = value.devices.filter((device) => device.shared);
    expect(shared.map((device) => [device.name, device.owner.email])).toEqual([
      ["Friend's Pi", FRIEND_EMAIL],
    ]);
    expect(value.devices.filter((device) => !device.shared)).toHaveLength(4);
  });
});

describe('connect, disconnect and sessions', () => {
  test.each([
    ['0.0.0.0', 'public'],
    ['198.51.100.7', 'restricted'],
    ['255.255.255.255', 'latching'],
    [null, 'latching'],
  ])('hostIP %s opens a %s port proxy at http://host:port', async (hostIP, mode) => {
    const before = Date.now();
    const { value } = await connect(config(), SSH, hostIP);
    const [live] = env.simulator.liveConnections();
    expect(live).toMatchObject({ connectionId: value.connectionId, mode });
    expect(value).toMatchObject({
      proxy: `http://127.0.0.1:${live!.listener.port}`,
      reverseProxy: false,
      expiresInSec: 28_800,
    });
    expect(value.createdAt).toBeGreaterThanOrEqual(before - 1000);
  });

  test('a reverse proxy from the loopback simulator opens as http://<host>', async () => {
    const { value } = await connect(config(), WEB, '0.0.0.0');
    const [live] = env.simulator.liveConnections();
    expect(value).toMatchObject({
      reverseProxy: true,
      proxy: `http://${live!.listener.host}:${live!.listener.port}`,
    });
    // Browsers resolve *.localhost to loopback; Node does not, so the test dials the port directly.
    const page = await fetch(`http://127.0.0.1:${new URL(value.proxy).port}/`).then((response) =>
      response.text(),
    );
    expect(page).toContain('Garage Pi - Web UI');
  });

  test("a reverse proxy from remote.it's https endpoint opens as https://<host>", async () => {
    const send: SendSigned = async () =>
      Response.json({
        data: {
          connect: {
            id: '6c1f0000-0000-4000-8000-000000000001',
            created: '2026-11-01T14:05:00.000Z',
            host: 'k3v9x2m7q1.p18.rt3.io',
            port: null,
            reverseProxy: true,
            timeout: 28_000,
          },
        },
      });
    const { value } = await connect(
      config({ endpoint: 'https://api.remote.it/graphql/v1', send }),
      WEB,
      null,
    );
    expect(value).toEqual({
      connectionId: '6c1f0000-0000-4000-8000-000000000001',
      proxy: 'https://k3v9x2m7q1.p18.rt3.io',
      reverseProxy: true,
      expiresInSec: 28_000,
      createdAt: Date.parse('2026-11-01T14:05:00.000Z'),
    });
  });

  test('disconnect ends the connection; an unknown one is refused in remote.it words', async () => {
    const { value } = await connect(config(), SSH, '0.0.0.0');
    await disconnect(config(), SSH, value.connectionId);
    expect(env.simulator.liveConnections()).toHaveLength(0);
    const again = await apiFailure(disconnect(config(), SSH, value.connectionId));
    expect(again.kind).toBe('api');
    expect(again.message).toMatch(/^remote\.it said: .*not found/);
  });

  test('sessions list this client’s and foreign connections; the ids tell them apart', async () => {
    const { value: mine } = await connect(config(), SSH, '0.0.0.0');
    const foreign = await env.simulator.openForeignSession(WEB);
    const { value } = await listSessions(config());
    expect(value).toEqual([
      {
        connectionId: mine.connectionId,
        createdAt: mine.createdAt,
        source: '127.0.0.1',
        serviceId: SSH,
        serviceName: 'Garage Pi - SSH',
        typeId: 28,
        deviceId: '80:00:00:00:00:01:2B:00',
        deviceName: 'Garage Pi',
        platform: 'GraphQL API',
        userEmail: DEMO_EMAIL,
      },
      expect.objectContaining({
        connectionId: foreign.connectionId,
        serviceId: WEB,
        platform: 'remote.it Desktop',
      }),
    ]);
  });
});

describe('errors', () => {
  test('an offline service: remote.it says it is inactive', async () => {
    const error = await apiFailure(connect(config(), OFFLINE_SSH, '0.0.0.0'));
    expect(error.kind).toBe('api');
    expect(error.message).toMatch(/inactive/);
  });

  test('HTML pages and malformed JSON are bad responses, the 500 transient', async () => {
    env.simulator.addFault({ fault: 'html-500', times: 1 });
    const html = await apiFailure(fetchAccount(config()));
    expect(html).toMatchObject({ kind: 'bad-response', transient: true });
    expect(html.message).toContain('HTTP 500: Slim Application Error');
    env.simulator.addFault({ fault: 'html-404', times: 1 });
    expect(await apiFailure(fetchAccount(config()))).toMatchObject({
      kind: 'bad-response',
      transient: false,
    });
    env.simulator.addFault({ fault: 'malformed-json', times: 1 });
    expect((await apiFailure(fetchAccount(config()))).kind).toBe('bad-response');
  });

  test('missing fields and a refusal without a message', async () => {
    env.simulator.addFault({ fault: 'missing-fields', times: 1 });
    const missing = await apiFailure(connect(config(), SSH, '0.0.0.0'));
    expect(missing.kind).toBe('bad-response');
    expect(missing.message).toContain('connection id');
    env.simulator.addFault({ fault: 'status-false-no-reason', times: 1 });
    const silent = await apiFailure(connect(config(), SSH, '0.0.0.0'));
    expect(silent.kind).toBe('api');
    expect(silent.message).toMatch(/without saying why/);
  });

  test('down is a network error; slow past the timeout is a timeout', async () => {
    env.simulator.addFault({ fault: 'down', times: 1 });
    expect((await apiFailure(fetchAccount(config()))).kind).toBe('network');
    env.simulator.addFault({ fault: 'slow', delayMs: 1500, times: 1 });
    expect((await apiFailure(fetchAccount(config({ timeoutMs: 300 })))).kind).toBe('timeout');
  });

  test('429: waits as Retry-After says, then sends again', async () => {
    env.simulator.addFault({ fault: 'rate-limited', path: 'graphql:connect', retryAfterSec: 1, times: 1 });
    const started = Date.now();
    const { value } = await connect(config(), SSH, '0.0.0.0');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(env.simulator.calls('graphql:connect').map((entry) => entry.status)).toEqual([429, 200]);
    expect(env.simulator.liveConnections().map((connection) => connection.connectionId)).toEqual([
      value.connectionId,
    ]);
  });

  test('429: a wait longer than the bound, or too many of them, fails without waiting', async () => {
    env.simulator.addFault({ fault: 'rate-limited', retryAfterSec: 120, times: 1 });
    const started = Date.now();
    const long = await apiFailure(fetchAccount(config()));
    expect(long).toMatchObject({ kind: 'api', detail: { httpStatus: 429 } });
    expect(long.message).toContain('Try again in 120 seconds');
    expect(Date.now() - started).toBeLessThan(1000);

    env.simulator.addFault({ fault: 'rate-limited', retryAfterSec: 0 });
    expect((await apiFailure(fetchAccount(config({ maxRetries: 2 })))).detail.httpStatus).toBe(429);
    expect(env.simulator.calls('graphql:login')).toHaveLength(4);
  });

  test('429: a wait that would outlast the time allowed for the whole call fails without waiting', async () => {
    env.simulator.addFault({ fault: 'rate-limited', path: 'graphql:connect', retryAfterSec: 3, times: 1 });
    const started = Date.now();
    const throttled = await apiFailure(connect(config({ timeoutMs: 2000 }), SSH, '0.0.0.0'));
    expect(throttled).toMatchObject({ kind: 'api', detail: { httpStatus: 429 } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(env.simulator.liveConnections()).toEqual([]);
  });

  test('an X-R3-Warning header comes back with the answer', async () => {
    expect((await fetchAccount(config())).warning).toBeNull();
    env.simulator.configure({ warningHeader: '121 remote.it client deprecated' });
    expect((await listServices(config())).warning).toBe('121 remote.it client deprecated');
  });
});
