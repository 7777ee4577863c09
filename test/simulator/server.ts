/**
 * A local stand-in for remote.it's v27 REST API and its signed GraphQL API (see
 * shared/remoteit-v27-api.md): same paths, field names, type mix, error bodies and HTTP codes, plus real
 * loopback listeners for every connection it creates. This module owns the HTTP server, the call log and
 * the dispatch; each concern lives in its own module.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, adminAction } from './admin';
import { ConnectionBook, type SimConnection } from './connections';
import type { SimContext, SimulatorOptions } from './context';
import { buildAccounts, DEMO_EMAIL, type SimAccount } from './demo-data';
import { V27Endpoints } from './endpoints';
import { cannedReply, delayFor, type Fault, FaultBook, type FaultRule, spoilReply } from './faults';
import { GRAPHQL_PATH, GraphqlEndpoint, readOperation } from './graphql';
import { normaliseIp } from './proxies';
import { ApiReply, parseBody, readBody, type Reply } from './responses';

export type { ConnectionMode, SimConnection } from './connections';
export type { SimulatorOptions } from './context';
export type { Fault, FaultRule } from './faults';

export interface CallLogEntry {
  at: number;
  method: string;
  /** Endpoint path below /apv/v27/, without a leading slash; `graphql:<operation>` for GraphQL. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  fault?: Fault;
}

const API_PREFIX = '/apv/v27/';
/** Where a connection "from elsewhere" comes from: the desktop app on another network. */
const FOREIGN_SOURCE = '198.51.100.23';

export class Simulator implements SimContext {
  readonly log: CallLogEntry[] = [];
  accounts: SimAccount[];
  readonly connectionBook: ConnectionBook;
  private readonly faults = new FaultBook();
  private readonly v27: V27Endpoints;
  private readonly graphql: GraphqlEndpoint;
  private readonly server = createServer((request, response) => void this.handle(request, response));
  port = 0;

  constructor(private currentOptions: SimulatorOptions = {}) {
    this.accounts = buildAccounts(currentOptions);
    this.connectionBook = new ConnectionBook(() => ({
      lifetimeSec: this.options.connectionLifetimeSec ?? 28_800,
      idleSec: this.options.idleTimeoutSec ?? 900,
    }));
    this.v27 = new V27Endpoints(this);
    this.graphql = new GraphqlEndpoint(this);
  }

  get options(): SimulatorOptions {
    return this.currentOptions;
  }

  /** Every connection since the last reset, ended ones included. */
  get connections(): Map<string, SimConnection> {
    return this.connectionBook.all;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiBase(): string {
    return `${this.url}/apv/v27`;
  }

  get graphqlUrl(): string {
    return `${this.url}${GRAPHQL_PATH}`;
  }

  now(): number {
    return Date.now() + (this.options.clockOffsetMs ?? 0);
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
    await this.connectionBook.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to a clean state between tests: no log, faults, sessions or live connections. */
  async reset(options: SimulatorOptions = {}): Promise<void> {
    await this.connectionBook.reset();
    this.log.length = 0;
    this.faults.clear();
    this.v27.forgetTokens();
    this.currentOptions = { ...options, port: this.options.port };
    this.accounts = buildAccounts(options);
  }

  configure(options: Partial<SimulatorOptions>): void {
    this.currentOptions = { ...this.options, ...options };
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every session token issued so far stops working, as when remote.it expires them. */
  expireTokens(): void {
    this.v27.expireTokens();
  }

  calls(path: string): CallLogEntry[] {
    return this.log.filter((entry) => entry.path === path);
  }

  liveConnections(): SimConnection[] {
    return this.connectionBook.live();
  }

  /**
   * A live connection that another app of the account (the desktop app, another browser) opened: listed
   * by GraphQL's `sessions`, never known to the extension, restricted to that app's own IP.
   */
  openForeignSession(serviceId: string, email = DEMO_EMAIL): Promise<SimConnection> {
    const service = this.accounts
      .flatMap((account) => account.services)
      .find((candidate) => candidate.id.toLowerCase() === serviceId.toLowerCase());
    if (!service) throw new Error(`no service ${serviceId}`);
    return this.connectionBook.open({
      service,
      email,
      hostip: FOREIGN_SOURCE,
      source: FOREIGN_SOURCE,
      platform: 'remote.it Desktop',
    });
  }

  private setCors(request: IncomingMessage, response: ServerResponse): void {
    const origin = request.headers.origin;
    if (origin && /^(chrome|moz)-extension:\/\//.test(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader(
        'access-control-allow-headers',
        'developerkey, apikey, token, content-type, authorization',
      );
      response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      response.setHeader('access-control-expose-headers', 'date, retry-after, x-r3-warning');
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.setCors(request, response);
    const url = new URL(request.url ?? '/', this.url);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      await this.handleAdmin(url.pathname.slice(ADMIN_PREFIX.length), request, response);
      return;
    }
    const body = parseBody(await readBody(request));
    const graphqlOperation = url.pathname === GRAPHQL_PATH ? readOperation(body) : null;
    const surface = graphqlOperation ? 'graphql' : 'v27';
    const path = graphqlOperation
      ? `graphql:${graphqlOperation.name}`
      : url.pathname.startsWith(API_PREFIX)
        ? url.pathname.slice(API_PREFIX.length).replace(/\/$/, '')
        : url.pathname;
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

    const token = entry.headers.token;
    // An expired token needs a token: a login must not use up the fault meant for the request after it.
    const fault = this.faults.take(path, (candidate) => candidate !== 'expired-token' || !!token);
    if (fault) entry.fault = fault.fault;
    const delay = delayFor(fault, this.options.latencyMs ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    // Like a PHP backend, work for a client that has hung up is abandoned.
    if (response.destroyed || request.socket.destroyed) {
      entry.status = -1;
      return;
    }
    if (fault?.fault === 'down') {
      entry.status = -1;
      request.socket.destroy();
      return;
    }
    const canned = cannedReply(fault, surface);
    if (canned) {
      this.send(entry, response, canned);
      return;
    }

    const clientIp = normaliseIp(request.socket.remoteAddress);
    if (fault?.fault === 'expired-token' && token) this.v27.expireToken(token);
    const reply = graphqlOperation
      ? await this.graphql.answer(
          { method: entry.method, target: request.url ?? GRAPHQL_PATH, headers: entry.headers, clientIp },
          graphqlOperation,
        )
      : await this.v27.route({ method: entry.method, path, headers: entry.headers, body, clientIp });
    if (reply instanceof ApiReply) spoilReply(fault, path, reply, surface);
    this.send(entry, response, reply);
  }

  /** Every answer carries the server clock's Date (clients correct their skew from it). */
  private send(entry: CallLogEntry, response: ServerResponse, reply: Reply): void {
    entry.status = reply.status;
    const headers: Record<string, string> = { date: new Date(this.now()).toUTCString() };
    if (this.options.warningHeader) headers['x-r3-warning'] = this.options.warningHeader;
    if (reply instanceof ApiReply) {
      entry.response = reply.body;
      response
        .writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
        .end(reply.encode(reply.body));
    } else {
      entry.response = reply.text;
      response
        .writeHead(reply.status, { ...headers, ...reply.headers, 'content-type': reply.contentType })
        .end(reply.text);
    }
  }

  private async handleAdmin(
    command: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const action = adminAction(this, command, parseBody(await readBody(request)));
    if (!action) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(action() ?? { ok: true }));
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(options).start();
}
