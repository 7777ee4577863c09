/** The v27 REST endpoints: login, the service list, connect and stop, with remote.it's bodies and codes. */
import { randomBytes, randomUUID } from 'node:crypto';
import { isIpv4, type SimConnection } from './connections';
import type { SimContext } from './context';
import {
  BULK_SERVICE_TYPE,
  deviceTypeString,
  type SimAccount,
  type SimService,
  visibleServices,
} from './demo-data';
import { ApiReply, easternTimestamp, failure, isoUtc } from './responses';

/** How `sessions` names connections opened through this API. */
const V27_PLATFORM = 'REST API';
const SERVICE_ID = /^[0-9A-F]{2}(:[0-9A-F]{2}){7}$/i;

interface TokenSession {
  email: string;
  expiresAt: number;
}

export interface V27Request {
  method: string;
  /** Endpoint path below /apv/v27/, without a leading slash. */
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  clientIp: string;
}

export class V27Endpoints {
  private readonly sessions = new Map<string, TokenSession>();

  constructor(private readonly sim: SimContext) {}

  /** Every session token issued so far stops working, as when remote.it expires them. */
  expireTokens(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  /** This token stops working; the request that carried it is then refused as an expired token is. */
  expireToken(token: string): void {
    const session = this.sessions.get(token);
    if (session) session.expiresAt = 0;
  }

  forgetTokens(): void {
    this.sessions.clear();
  }

  route(request: V27Request): ApiReply | Promise<ApiReply> {
    const { method, path, headers, body, clientIp } = request;
    const routes: Record<string, [string, () => ApiReply | Promise<ApiReply>]> = {
      'user/login': ['POST', () => this.login(headers, body, 'password')],
      'user/login/authhash': ['POST', () => this.login(headers, body, 'authhash')],
      'device/list/all': ['GET', () => this.authenticated(headers, (account) => this.listDevices(account))],
      'device/connect': [
        'POST',
        () => this.authenticated(headers, (account) => this.connect(account, body, clientIp)),
      ],
      'device/connect/stop': [
        'POST',
        () => this.authenticated(headers, (account) => this.stop(account, body)),
      ],
    };
    const route = routes[path];
    if (!route || route[0] !== method) return failure(404, `no route for ${method} ${path}`);
    return route[1]();
  }

  private developerKeyValid(headers: Record<string, string>): boolean {
    const key = headers.developerkey ?? headers.apikey;
    return this.sim.accounts.some((account) => account.developerKey === key);
  }

  private login(
    headers: Record<string, string>,
    body: Record<string, unknown>,
    method: 'password' | 'authhash',
  ): ApiReply {
    if (!this.developerKeyValid(headers)) return failure(401, 'api key failed validation');
    const account = this.sim.accounts.find(
      (candidate) => candidate.email.toLowerCase() === String(body.username ?? '').toLowerCase(),
    );
    if (!account) return failure(401, 'missing user');
    const secretMatches =
      method === 'password' ? body.password === account.password : body.authhash === account.authhash;
    if (!secretMatches) return failure(401, '[0102] The username or password is invalid');
    if (account.mfa && method === 'password') {
      return failure(200, 'This account uses two-factor authentication', 'SOFTWARE_TOKEN_MFA');
    }
    const token = randomBytes(16).toString('hex');
    const expiresAt = Date.now() + (this.sim.options.tokenLifetimeSec ?? 3600) * 1000;
    this.sessions.set(token, { email: account.email, expiresAt });
    return new ApiReply(200, {
      status: 'true',
      token,
      auth_token: token,
      auth_expiration: Math.floor(expiresAt / 1000),
      email: account.email,
      guid: account.guid,
      service_authhash: account.authhash,
      service_token: randomBytes(20).toString('hex'),
      token_index: randomUUID().toUpperCase(),
      service_level: 'BASIC',
      storage_plan: 'FREE',
      commerical_setting: 'FREE',
      developer_key: account.developerKey,
      language: 'en',
      portal_plan: 'free_plan',
      portal_plan_expires: '2038-01-01 00:00:00',
      service_features: Buffer.from('ads=0,share=200,concurrent=100,p2pduration=28800').toString('base64'),
      announcements: [],
      member_since: '2018-09-10 12:00:00',
      index: 'true',
    });
  }

  private authenticated(
    headers: Record<string, string>,
    handler: (account: SimAccount) => ApiReply | Promise<ApiReply>,
  ) {
    if (!this.developerKeyValid(headers)) return failure(401, 'api key failed validation');
    const token = headers.token;
    if (!token) return failure(200, 'missing api token');
    const session = this.sessions.get(token);
    if (!session || session.expiresAt <= Date.now()) {
      return failure(
        this.sim.options.expiredTokenResponse === 'http-401' ? 401 : 200,
        'invalid or expired token',
        'INVALID_TOKEN',
      );
    }
    const account = this.sim.accounts.find((candidate) => candidate.email === session.email);
    return account ? handler(account) : failure(200, 'missing user');
  }

  private listDevices(account: SimAccount): ApiReply {
    const devices = visibleServices(account).map((service) => deviceEntry(account, service));
    return new ApiReply(200, { status: 'true', cache_expires: 2, length: devices.length, devices });
  }

  private async connect(
    account: SimAccount,
    body: Record<string, unknown>,
    clientIp: string,
  ): Promise<ApiReply> {
    const address = String(body.deviceaddress ?? '');
    if (!SERVICE_ID.test(address)) return failure(200, 'bad device address');
    const service = visibleServices(account).find(
      (candidate) => candidate.id.toLowerCase() === address.toLowerCase(),
    );
    if (!service) return failure(200, `[0861] service not found for UID ${address}`);
    if (service.typeId === BULK_SERVICE_TYPE)
      return failure(200, `[0861] ${address} is a device (Bulk Service), not a connectable service`);
    if (!service.active) return failure(200, `[0862] The target service ${address} is inactive (offline)`);
    // Documented default: a missing hostip restricts the proxy to the caller; published clients send null.
    const hostip = body.hostip === undefined || body.hostip === null ? clientIp : String(body.hostip);
    if (!isIpv4(hostip)) return failure(200, `invalid hostip ${hostip}`);

    const connection = await this.sim.connectionBook.open({
      service,
      email: account.email,
      hostip,
      source: clientIp,
      platform: V27_PLATFORM,
    });
    return new ApiReply(200, {
      status: 'true',
      connection: this.connectionBody(account, connection, service),
      wait: true,
      connectionid: connection.connectionId,
    });
  }

  private connectionBody(
    account: SimAccount,
    connection: SimConnection,
    service: SimService,
  ): Record<string, unknown> {
    const { listener } = connection;
    const requested = new Date(connection.createdAt);
    const remaining = Math.max(0, Math.round((connection.expiresAt - Date.now()) / 1000));
    return {
      deviceaddress: service.id,
      status: 'running',
      requested: easternTimestamp(requested),
      requestedAt: isoUtc(requested),
      proxy: listener.proxy,
      proxyserver: '127.0.0.1',
      proxyport: String(listener.port),
      proxyServerPort: listener.port,
      proxyURL: listener.kind === 'reverse' ? listener.host : `127.0.0.1:${listener.port}`,
      reverseProxy: listener.kind === 'reverse',
      expirationsec: String(remaining),
      proxyExpirationSec: remaining,
      connectionid: connection.connectionId,
      sessionID: randomBytes(20).toString('hex').toUpperCase(),
      initiator: account.email,
      initiatorUID: 'f0:0f:00:00:00:00:00:01',
      targetUID: service.id,
      filteredIP:
        listener.kind === 'reverse'
          ? 'none'
          : connection.mode === 'public'
            ? 'public'
            : connection.mode === 'latching'
              ? 'latching'
              : connection.hostip,
      latchedIP: '0.0.0.0',
      p2pConnected: true,
      serviceConnected: true,
      lifeLeft: remaining,
      idleLeft: this.sim.options.idleTimeoutSec ?? 900,
    };
  }

  private async stop(account: SimAccount, body: Record<string, unknown>): Promise<ApiReply> {
    const address = body.deviceaddress;
    const connectionId = body.connectionid;
    if (typeof address !== 'string' || typeof connectionId !== 'string' || !address || !connectionId) {
      return failure(401, 'deviceaddress and connectionid are required');
    }
    const connection = this.sim.connectionBook.all.get(connectionId.toLowerCase());
    if (
      !connection ||
      connection.email !== account.email ||
      connection.serviceId.toLowerCase() !== address.toLowerCase() ||
      connection.endedAt !== null
    ) {
      return failure(401, `connection ${connectionId} was not found for ${address}`);
    }
    await this.sim.connectionBook.end(connection, 'stopped');
    return new ApiReply(200, { status: 'true', connectionid: connectionId });
  }
}

function deviceEntry(account: SimAccount, service: SimService): Record<string, unknown> {
  return {
    deviceaddress: service.id,
    devicealias: service.alias,
    ownerusername: service.ownerEmail,
    devicetype: deviceTypeString(service.typeId, service.port),
    devicestate: service.active ? 'active' : 'inactive',
    devicelastip: service.lastIp,
    lastinternalip: '192.168.1.20',
    servicetitle: service.title,
    webenabled: '1',
    weburi: service.typeId === 28 ? '/ssh/index.php' : [null],
    localurl: 'bm9uZQ==',
    georegion: 'NorthAmerica',
    webviewerurl: [null],
    lastcontacted: '2026-11-01T14:36:21.71+00:00',
    createdate: '2023-02-06T18:22:36.273+00:00',
    shared: service.ownerEmail === account.email ? 'not-shared' : 'shared-from',
    scripting: true,
  };
}
