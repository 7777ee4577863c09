/**
 * A local stand-in for remote.it's v27 REST API (see shared/remoteit-v27-api.md): same paths, field names,
 * type mix, error bodies and HTTP codes, plus real loopback listeners for every connection it creates.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildAccounts, deviceTypeString, type SimAccount, type SimService } from './demo-data';
import { openPortProxy, openReverseProxy, type IpFilter, type ProxyListener } from './proxies';

export type Fault =
  | 'down'
  | 'html-500'
  | 'html-404'
  | 'malformed-json'
  | 'missing-fields'
  | 'status-false-no-reason'
  | 'slow'
  /** A successful connect whose `proxy` points off remote.it's domains; the connection itself is live. */
  | 'rogue-proxy';

export interface FaultRule {
  fault: Fault;
  /** Endpoint path below /apv/v27/, e.g. "device/connect"; every endpoint when absent. */
  path?: string;
  /** How many requests it applies to; until cleared when absent. */
  times?: number;
  /** For "slow": how long the server thinks before answering. */
  delayMs?: number;
}

export interface SimulatorOptions {
  port?: number;
  /** Connectable services to generate instead of the demo devices. */
  scale?: number;
  latencyMs?: number;
  tokenLifetimeSec?: number;
  connectionLifetimeSec?: number;
  idleTimeoutSec?: number;
  /** The real reply to an expired token is undocumented; both plausible forms can be simulated. */
  expiredTokenResponse?: 'status-false' | 'http-401';
}

export interface CallLogEntry {
  at: number;
  method: string;
  /** Endpoint path below /apv/v27/, without a leading slash. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  fault?: Fault;
}

export type ConnectionMode = 'public' | 'restricted' | 'latching';

export interface SimConnection {
  connectionId: string;
  serviceId: string;
  email: string;
  hostip: string;
  mode: ConnectionMode;
  listener: ProxyListener;
  createdAt: number;
  expiresAt: number;
  idleExpiresAt: number;
  endedAt: number | null;
  endReason: 'stopped' | 'expired' | 'idle' | 'reset' | null;
}

interface Session {
  email: string;
  expiresAt: number;
}

const API_PREFIX = '/apv/v27/';
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const SERVICE_ID = /^[0-9A-F]{2}(:[0-9A-F]{2}){7}$/i;
const REVERSE_PROXY_TYPES = new Set([7, 8, 30, 33]);

class ApiReply {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {}
}

const failure = (status: number, reason: string, code = 'GENERAL_ERROR') =>
  new ApiReply(status, { status: 'false', reason, code });

/** PHP/Slim escapes forward slashes; clients must cope with `\/`. */
function encodeJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

function easternTimestamp(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.month}/${parts.day}/${parts.year}T${parts.hour}:${parts.minute} ${parts.dayPeriod}`;
}

function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** remote.it reads the body as JSON whatever the Content-Type says (curl's samples send it as a form). */
function parseBody(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const HTML_PAGES: Record<'html-500' | 'html-404', { status: number; html: string }> = {
  'html-500': {
    status: 500,
    html: '<html><head><title>Slim Application Error</title></head><body><h1>Slim Application Error</h1><p>A website error has occurred. Sorry for the temporary inconvenience.</p></body></html>',
  },
  'html-404': {
    status: 404,
    html: '<html><head><title>404 Page Not Found</title></head><body><h1>404 Page Not Found</h1></body></html>',
  },
};

/** Fields a "missing-fields" fault removes, per endpoint. */
const ESSENTIAL_FIELDS: Record<string, string[]> = {
  'user/login': ['token', 'auth_token', 'auth_expiration'],
  'user/login/authhash': ['token', 'auth_token', 'auth_expiration'],
  'device/list/all': ['devices'],
  'device/connect': ['connection', 'connectionid'],
};

export class Simulator {
  readonly log: CallLogEntry[] = [];
  readonly connections = new Map<string, SimConnection>();
  accounts: SimAccount[];
  private readonly sessions = new Map<string, Session>();
  private faults: (FaultRule & { remaining: number })[] = [];
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  constructor(private options: SimulatorOptions = {}) {
    this.accounts = buildAccounts({ scale: options.scale });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiBase(): string {
    return `${this.url}/apv/v27`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await this.stopEverything('reset');
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to a clean state between tests: no log, faults, sessions or live connections. */
  async reset(options: SimulatorOptions = {}): Promise<void> {
    await this.stopEverything('reset');
    this.log.length = 0;
    this.faults = [];
    this.sessions.clear();
    this.connections.clear();
    this.options = { ...options, port: this.options.port };
    this.accounts = buildAccounts({ scale: options.scale });
  }

  configure(options: Partial<SimulatorOptions>): void {
    this.options = { ...this.options, ...options };
  }

  addFault(rule: FaultRule): void {
    this.faults.push({ ...rule, remaining: rule.times ?? Infinity });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Every session token issued so far stops working, as when remote.it expires them. */
  expireTokens(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  calls(path: string): CallLogEntry[] {
    return this.log.filter((entry) => entry.path === path);
  }

  liveConnections(): SimConnection[] {
    return [...this.connections.values()].filter((connection) => connection.endedAt === null);
  }

  private async stopEverything(reason: SimConnection['endReason']): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.liveConnections().map((connection) => this.endConnection(connection, reason)));
  }

  private async endConnection(connection: SimConnection, reason: SimConnection['endReason']): Promise<void> {
    if (connection.endedAt !== null) return;
    connection.endedAt = Date.now();
    connection.endReason = reason;
    await connection.listener.close();
  }

  private takeFault(path: string): FaultRule | undefined {
    const rule = this.faults.find(
      (candidate) => candidate.remaining > 0 && (!candidate.path || candidate.path === path),
    );
    if (rule) rule.remaining -= 1;
    return rule;
  }

  private setCors(request: IncomingMessage, response: ServerResponse): void {
    const origin = request.headers.origin;
    if (origin && /^(chrome|moz)-extension:\/\//.test(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader('access-control-allow-headers', 'developerkey, apikey, token, content-type');
      response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.setCors(request, response);
    const url = new URL(request.url ?? '/', this.url);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith('/__sim/')) {
      await this.handleAdmin(url.pathname.slice('/__sim/'.length), request, response);
      return;
    }
    const raw = await readBody(request);
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length).replace(/\/$/, '')
      : url.pathname;
    const body = parseBody(raw);
    const entry: CallLogEntry = {
      at: Date.now(),
      method: request.method ?? 'GET',
      path,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ),
      body,
      status: 0,
      response: null,
    };
    this.log.push(entry);

    const fault = this.takeFault(path);
    if (fault) entry.fault = fault.fault;
    const clientGone = () => response.destroyed || request.socket.destroyed;
    const delay = (this.options.latencyMs ?? 0) + (fault?.fault === 'slow' ? (fault.delayMs ?? 10_000) : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    // Like a PHP backend, work for a client that has hung up is abandoned.
    if (clientGone()) {
      entry.status = -1;
      return;
    }

    switch (fault?.fault) {
      case 'down':
        entry.status = -1;
        request.socket.destroy();
        return;
      case 'html-500':
      case 'html-404': {
        const page = HTML_PAGES[fault.fault];
        entry.status = page.status;
        entry.response = page.html;
        response.writeHead(page.status, { 'content-type': 'text/html; charset=UTF-8' }).end(page.html);
        return;
      }
      case 'malformed-json':
        entry.status = 200;
        entry.response = '{"status":"true","connection":{"proxy":';
        response.writeHead(200, { 'content-type': 'application/json' }).end(entry.response);
        return;
      case 'status-false-no-reason':
        this.send(entry, response, new ApiReply(200, { status: 'false' }));
        return;
    }

    const reply = await this.route(
      request.method ?? 'GET',
      path,
      entry.headers,
      body,
      normaliseIp(request.socket.remoteAddress),
    );
    if (fault?.fault === 'missing-fields' && reply.body.status === 'true') {
      for (const field of ESSENTIAL_FIELDS[path] ?? []) delete reply.body[field];
    }
    if (fault?.fault === 'rogue-proxy' && reply.body.connection) {
      (reply.body.connection as Record<string, unknown>).proxy = 'https://login.example.com/remoteit';
    }
    this.send(entry, response, reply);
  }

  private send(entry: CallLogEntry, response: ServerResponse, reply: ApiReply): void {
    entry.status = reply.status;
    entry.response = reply.body;
    response
      .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' })
      .end(encodeJson(reply.body));
  }

  private async route(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Record<string, unknown>,
    clientIp: string,
  ): Promise<ApiReply> {
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
    return this.accounts.some((account) => account.developerKey === key);
  }

  private login(
    headers: Record<string, string>,
    body: Record<string, unknown>,
    method: 'password' | 'authhash',
  ): ApiReply {
    if (!this.developerKeyValid(headers)) return failure(401, 'api key failed validation');
    const account = this.accounts.find(
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
    const expiresAt = Date.now() + (this.options.tokenLifetimeSec ?? 3600) * 1000;
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
        this.options.expiredTokenResponse === 'http-401' ? 401 : 200,
        'invalid or expired token',
        'INVALID_TOKEN',
      );
    }
    const account = this.accounts.find((candidate) => candidate.email === session.email);
    return account ? handler(account) : failure(200, 'missing user');
  }

  private listDevices(account: SimAccount): ApiReply {
    const devices = account.services.map((service) => deviceEntry(account, service));
    return new ApiReply(200, { status: 'true', cache_expires: 2, length: devices.length, devices });
  }

  private async connect(
    account: SimAccount,
    body: Record<string, unknown>,
    clientIp: string,
  ): Promise<ApiReply> {
    const address = String(body.deviceaddress ?? '');
    if (!SERVICE_ID.test(address)) return failure(200, 'bad device address');
    const service = account.services.find(
      (candidate) => candidate.id.toLowerCase() === address.toLowerCase(),
    );
    if (!service) return failure(200, `[0861] service not found for UID ${address}`);
    if (service.typeId === 35)
      return failure(200, `[0861] ${address} is a device (Bulk Service), not a connectable service`);
    if (!service.active) return failure(200, `[0862] The target service ${address} is inactive (offline)`);
    const hostip = body.hostip === undefined ? clientIp : String(body.hostip);
    if (!IPV4.test(hostip)) return failure(200, `invalid hostip ${hostip}`);

    const mode: ConnectionMode =
      hostip === '0.0.0.0' ? 'public' : hostip === '255.255.255.255' ? 'latching' : 'restricted';
    const filter: IpFilter =
      mode === 'public'
        ? { kind: 'public' }
        : mode === 'latching'
          ? { kind: 'latching', latchedIp: null }
          : { kind: 'restricted', ip: hostip };
    const connectionId = randomUUID();
    const touch = () => this.touch(connectionId);
    const reverse = REVERSE_PROXY_TYPES.has(service.typeId);
    const listener = reverse
      ? await openReverseProxy(service.alias, touch)
      : await openPortProxy(service.typeId, filter, touch);
    const now = Date.now();
    const lifetimeMs = (this.options.connectionLifetimeSec ?? 28_800) * 1000;
    const connection: SimConnection = {
      connectionId,
      serviceId: service.id,
      email: account.email,
      hostip,
      mode,
      listener,
      createdAt: now,
      expiresAt: now + lifetimeMs,
      idleExpiresAt: now + this.idleMs(),
      endedAt: null,
      endReason: null,
    };
    this.connections.set(connectionId, connection);
    this.schedule(lifetimeMs, () => this.endConnection(connection, 'expired'));
    this.scheduleIdleCheck(connection);
    return new ApiReply(200, {
      status: 'true',
      connection: this.connectionBody(account, connection, service),
      wait: true,
      connectionid: connectionId,
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
      idleLeft: Math.round(this.idleMs() / 1000),
    };
  }

  private async stop(account: SimAccount, body: Record<string, unknown>): Promise<ApiReply> {
    const address = body.deviceaddress;
    const connectionId = body.connectionid;
    if (typeof address !== 'string' || typeof connectionId !== 'string' || !address || !connectionId) {
      return failure(401, 'deviceaddress and connectionid are required');
    }
    const connection = this.connections.get(connectionId.toLowerCase());
    if (
      !connection ||
      connection.email !== account.email ||
      connection.serviceId.toLowerCase() !== address.toLowerCase() ||
      connection.endedAt !== null
    ) {
      return failure(401, `connection ${connectionId} was not found for ${address}`);
    }
    await this.endConnection(connection, 'stopped');
    return new ApiReply(200, { status: 'true', connectionid: connectionId });
  }

  private idleMs(): number {
    return (this.options.idleTimeoutSec ?? 900) * 1000;
  }

  private touch(connectionId: string): void {
    const connection = this.connections.get(connectionId);
    if (connection) connection.idleExpiresAt = Date.now() + this.idleMs();
  }

  private scheduleIdleCheck(connection: SimConnection): void {
    this.schedule(Math.max(0, connection.idleExpiresAt - Date.now()), () => {
      if (connection.endedAt !== null) return;
      if (connection.idleExpiresAt <= Date.now()) void this.endConnection(connection, 'idle');
      else this.scheduleIdleCheck(connection);
    });
  }

  private schedule(delayMs: number, action: () => unknown): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void action();
      },
      Math.min(delayMs, 2 ** 31 - 1),
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** A small control surface for the demo and manual testing: /__sim/log, /__sim/fault, … */
  private async handleAdmin(
    command: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const body = parseBody(await readBody(request));
    const actions: Record<string, () => unknown> = {
      log: () => this.log,
      connections: () =>
        this.liveConnections().map(({ listener, ...rest }) => ({ ...rest, proxy: listener.proxy })),
      fault: () => this.addFault(body as unknown as FaultRule),
      'clear-faults': () => this.clearFaults(),
      'expire-tokens': () => this.expireTokens(),
    };
    const action = actions[command];
    if (!action) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(action() ?? { ok: true }));
  }
}

function normaliseIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

function deviceEntry(account: SimAccount, service: SimService): Record<string, unknown> {
  return {
    deviceaddress: service.id,
    devicealias: service.alias,
    ownerusername: account.email,
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
    shared: 'not-shared',
    scripting: true,
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(options).start();
}
