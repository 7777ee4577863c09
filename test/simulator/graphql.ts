/**
 * remote.it's GraphQL API (shared/remoteit-v27-api.md 5.1 and 5.4) over the same accounts, services and
 * real proxy listeners as v27: the device listing, applicationTypes, connect, disconnect and sessions, for
 * requests signed with an access key. Errors are `{"errors":[{"message":…}]}` with HTTP 200.
 */
import { isIpv4, type SimConnection } from './connections';
import type { SimContext } from './context';
import {
  APPLICATIONS,
  BULK_SERVICE_TYPE,
  type SimAccount,
  type SimService,
  visibleServices,
} from './demo-data';
import { GraphqlError, type GraphqlDocument, parseDocument, project } from './graphql-document';
import { ApiReply, type Reply, TextReply } from './responses';
import { verifySignature } from './signature';

export const GRAPHQL_PATH = '/graphql/v1';
/** The schema's default for `connect(hostIP:)`: IP latching. */
const LATCHING = '255.255.255.255';
const MAX_PAGE_SIZE = 1000;
/** How `sessions` names connections opened through this API. */
const GRAPHQL_PLATFORM = 'GraphQL API';

/** A request's document, read once: the call log names it and the endpoint answers it. */
export interface GraphqlOperation {
  document: GraphqlDocument | null;
  /** Why the document could not be read; null when it could. */
  error: string | null;
  /** The operation as the call log names it after `graphql:`, e.g. "devices", "connect", "sessions". */
  name: string;
}

export interface GraphqlRequest {
  method: string;
  /** Path and query, as in the request line. */
  target: string;
  headers: Record<string, string>;
  clientIp: string;
}

const graphqlJson = (status: number, body: Record<string, unknown>) =>
  new ApiReply(status, body, JSON.stringify);
const errorReply = (status: number, message: string) => graphqlJson(status, { errors: [{ message }] });

/** Listing and sessions both sit under `login`; the log names the part that was asked for. */
function operationName(document: GraphqlDocument): string {
  const names = document.fields.map((field) =>
    field.name === 'login'
      ? (field.selections?.find((inner) => inner.selections !== null)?.name ?? 'login')
      : field.name,
  );
  return names.find((name) => name !== 'applicationTypes') ?? names[0] ?? 'empty';
}

export function readOperation(body: Record<string, unknown>): GraphqlOperation {
  if (typeof body.query !== 'string')
    return { document: null, error: 'Must provide query string.', name: 'invalid' };
  const variables =
    body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
  try {
    const document = parseDocument(body.query, variables);
    return { document, error: null, name: operationName(document) };
  } catch (error) {
    if (!(error instanceof GraphqlError)) throw error;
    return { document: null, error: error.message, name: 'invalid' };
  }
}

const isoTime = (ms: number) => new Date(ms).toISOString();

export class GraphqlEndpoint {
  constructor(private readonly sim: SimContext) {}

  async answer(request: GraphqlRequest, operation: GraphqlOperation): Promise<Reply> {
    if (request.method !== 'POST') return errorReply(405, 'GraphQL requests are POSTed.');
    const verdict = verifySignature(
      request,
      (keyId) => this.keyOwner(keyId)?.secret,
      this.sim.now(),
      this.sim.options.signatureSkewSec,
    );
    if (!verdict.ok) {
      return verdict.unsigned
        ? new TextReply(401, 'Unauthorized', 'text/plain; charset=utf-8')
        : errorReply(verdict.status, verdict.reason);
    }
    const { document, error } = operation;
    if (!document) return errorReply(400, error ?? 'Unreadable GraphQL document.');
    const account = this.keyOwner(verdict.keyId)!.account;
    const root =
      document.operation === 'mutation' ? this.mutations(account, request.clientIp) : this.queries(account);
    try {
      const data = await project(
        root,
        document.fields,
        document.operation === 'mutation' ? 'Mutation' : 'Query',
      );
      return graphqlJson(200, { data });
    } catch (failure) {
      if (!(failure instanceof GraphqlError)) throw failure;
      return graphqlJson(200, { data: null, errors: [{ message: failure.message }] });
    }
  }

  private keyOwner(keyId: string): { account: SimAccount; secret: string } | undefined {
    for (const account of this.sim.accounts) {
      const key = account.accessKeys.find((candidate) => candidate.id === keyId);
      if (key) return { account, secret: key.secret };
    }
    return undefined;
  }

  private queries(account: SimAccount) {
    return {
      login: {
        id: account.guid,
        email: account.email,
        devices: (args: Record<string, unknown>) => this.devicePage(account, args),
        sessions: () => this.sessions(account),
      },
      applicationTypes: APPLICATIONS.map(({ id, title, port, proxy, scheme }) => ({
        id,
        name: title,
        port,
        proxy,
        scheme,
        protocol: 'TCP',
      })),
    };
  }

  private mutations(account: SimAccount, clientIp: string) {
    return {
      connect: (args: Record<string, unknown>) => this.connect(account, args, clientIp),
      disconnect: (args: Record<string, unknown>) => this.disconnect(account, args),
    };
  }

  private owner(service: SimService) {
    const owner = this.sim.accounts.find((account) => account.email === service.ownerEmail);
    return { id: owner?.guid ?? '', email: service.ownerEmail };
  }

  private devicePage(account: SimAccount, args: Record<string, unknown>) {
    const size = args.size ?? 100;
    const from = args.from ?? 0;
    if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE) {
      throw new GraphqlError(`size must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
    }
    if (!Number.isInteger(from) || (from as number) < 0) throw new GraphqlError('from must be 0 or more.');
    const byDevice = new Map<string, SimService[]>();
    for (const service of visibleServices(account)) {
      byDevice.set(service.deviceId, [...(byDevice.get(service.deviceId) ?? []), service]);
    }
    const devices = [...byDevice.values()].map((services) => {
      // The device's own entry is its Bulk Service; it is listed among its services as on v27.
      const device = services.find((service) => service.typeId === BULK_SERVICE_TYPE) ?? services[0]!;
      return {
        id: device.deviceId,
        name: device.alias,
        state: device.active ? 'active' : 'inactive',
        owner: this.owner(device),
        services: services.map(serviceFields),
      };
    });
    const start = from as number;
    const end = start + (size as number);
    return { total: devices.length, hasMore: end < devices.length, items: devices.slice(start, end) };
  }

  private async connect(account: SimAccount, args: Record<string, unknown>, clientIp: string) {
    const serviceId = String(args.serviceId ?? '');
    // null is taken as absent: the schema's default (latching) applies, as the desktop app relies on.
    const hostip = args.hostIP === undefined || args.hostIP === null ? LATCHING : String(args.hostIP);
    if (!isIpv4(hostip)) throw new GraphqlError(`Invalid hostIP "${hostip}".`);
    const service = visibleServices(account).find(
      (candidate) => candidate.id.toLowerCase() === serviceId.toLowerCase(),
    );
    if (!service) throw new GraphqlError(`Service ${serviceId} not found.`);
    if (service.typeId === BULK_SERVICE_TYPE) {
      throw new GraphqlError(`${serviceId} is a device, not a service you can connect to.`);
    }
    if (!service.active) throw new GraphqlError(`Cannot connect: service ${serviceId} is inactive.`);
    const connection = await this.sim.connectionBook.open({
      service,
      email: account.email,
      hostip,
      source: clientIp,
      platform: GRAPHQL_PLATFORM,
    });
    return connectionFields(connection);
  }

  private async disconnect(account: SimAccount, args: Record<string, unknown>) {
    const connectionId = String(args.connectionId ?? '');
    const serviceId = typeof args.serviceId === 'string' ? args.serviceId.toLowerCase() : null;
    const connection = this.sim.connectionBook.all.get(connectionId.toLowerCase());
    if (
      !connection ||
      connection.email !== account.email ||
      connection.endedAt !== null ||
      (serviceId !== null && connection.serviceId.toLowerCase() !== serviceId)
    ) {
      throw new GraphqlError(`Connection ${connectionId} not found.`);
    }
    await this.sim.connectionBook.end(connection, 'stopped');
    return true;
  }

  private sessions(account: SimAccount) {
    const services = new Map(
      this.sim.accounts.flatMap((owner) => owner.services).map((service) => [service.id, service]),
    );
    return this.sim.connectionBook
      .live()
      .filter((connection) => connection.email === account.email)
      .map((connection) => {
        const service = services.get(connection.serviceId)!;
        const device = services.get(service.deviceId)!;
        return {
          id: connection.connectionId,
          timestamp: isoTime(connection.createdAt),
          source: connection.source,
          endpoint: { proxy: true, platform: connection.platform },
          user: { id: account.guid, email: account.email },
          target: {
            id: service.id,
            name: service.alias,
            application: service.typeId,
            device: { id: device.id, name: device.alias },
          },
        };
      });
  }
}

function serviceFields(service: SimService) {
  return {
    id: service.id,
    name: service.alias,
    state: service.active ? 'active' : 'inactive',
    online: service.active,
    application: service.typeId,
    title: service.title,
    port: service.port,
    protocol: 'TCP',
    enabled: true,
  };
}

/**
 * A reverse proxy's `host` carries the listener's port, `<name>.p18.localhost:<port>`, with `port: null` as
 * remote.it sends: the loopback stand-in for `xxxx.p18.rt3.io` served over plain http.
 */
function connectionFields(connection: SimConnection) {
  const { listener } = connection;
  const reverse = listener.kind === 'reverse';
  return {
    id: connection.connectionId,
    created: isoTime(connection.createdAt),
    host: reverse ? `${listener.host}:${listener.port}` : listener.host,
    port: reverse ? null : listener.port,
    reverseProxy: reverse,
    timeout: Math.max(0, Math.round((connection.expiresAt - Date.now()) / 1000)),
    url: listener.proxy,
    session: { id: connection.connectionId },
  };
}
