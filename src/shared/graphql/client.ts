/**
 * remote.it's GraphQL API with an access key (shared/remoteit-v27-api.md 5.4): the account, the service
 * listing through every page, connect, disconnect and the live sessions. Pure like ../api.ts, so it runs
 * in the worker, the pages and Node; answers are parsed into shapes close to the v27 client's, and
 * failures are the same ApiError kinds.
 */
import { missing, type ConnectResult } from '../api';
import { type GraphqlAnswer, type GraphqlConfig, postGraphql } from './transport';

export {
  type AccessKey,
  DEFAULT_GRAPHQL_ENDPOINT,
  type GraphqlAnswer,
  type GraphqlConfig,
  KEY_REFUSED,
  type SendSigned,
  sendWithFetch,
  ServerClock,
  type SignedRequest,
} from './transport';

const ACCOUNT = `query{ login { id email } }`;
const LIST = `query($size:Int,$from:Int){ login { id email devices(size:$size, from:$from) { total hasMore items { id name state owner { id email } services { id name state online application title port protocol enabled } } } } applicationTypes { id name port proxy scheme protocol } }`;
const CONNECT = `mutation($serviceId:String!,$hostIP:String){ connect(serviceId:$serviceId, hostIP:$hostIP){ id created host port reverseProxy timeout } }`;
const DISCONNECT = `mutation($serviceId:String!,$connectionId:String!){ disconnect(serviceId:$serviceId, connectionId:$connectionId) }`;
const SESSIONS = `query{ login { id sessions { id timestamp source endpoint { proxy platform } user { id email } target { id name application device { id name } } } } }`;

/** The device's own entry among its services ("Bulk Service"): nothing to connect to. */
const BULK_SERVICE_TYPE = 35;
const MAX_PAGE_SIZE = 1000;

export interface GraphqlAccount {
  id: string;
  email: string;
}

export interface ListedService {
  /** remote.it service ID, as remote.it spells it. */
  id: string;
  name: string;
  /** remote.it application type id (28 SSH, 7 HTTP, …). */
  typeId: number;
  title: string;
  port: number | null;
  online: boolean;
  enabled: boolean;
  /** remote.it serves it through a reverse proxy opened in a tab (`applicationTypes[].proxy`). */
  reverseProxy: boolean;
}

export interface ListedDevice {
  id: string;
  name: string;
  online: boolean;
  owner: GraphqlAccount;
  /** Another account owns it and shares it with this one. */
  shared: boolean;
  services: ListedService[];
}

export interface ServiceListing {
  account: GraphqlAccount;
  devices: ListedDevice[];
}

export interface GraphqlConnectResult extends ConnectResult {
  /** When remote.it created the connection, in milliseconds since the epoch; null when it did not say. */
  createdAt: number | null;
}

export interface LiveSession {
  /** The id `connect` returned: how a caller recognises its own connections. */
  connectionId: string;
  createdAt: number | null;
  /** Where the connection was asked from, as remote.it reports it. */
  source: string;
  serviceId: string;
  serviceName: string;
  typeId: number | null;
  deviceId: string;
  deviceName: string;
  /** The app that opened it, as remote.it names it; null when it did not say. */
  platform: string | null;
  userEmail: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const timeOrNull = (value: unknown): number | null => {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

function parseAccount(login: unknown): GraphqlAccount {
  if (!isObject(login) || typeof login.id !== 'string' || !login.id) throw missing('missingAccount');
  return { id: login.id, email: text(login.email) };
}

/** The signed-in account: the cheapest call that proves the key id, the secret and the clock are right. */
export async function fetchAccount(config: GraphqlConfig): Promise<GraphqlAnswer<GraphqlAccount>> {
  const { value, warning } = await postGraphql(config, ACCOUNT);
  return { value: parseAccount(value.login), warning };
}

function parseService(raw: unknown, reverseTypes: Set<number>): ListedService | null {
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.application !== 'number') return null;
  if (raw.application === BULK_SERVICE_TYPE) return null;
  return {
    id: raw.id,
    name: text(raw.name) || raw.id,
    typeId: raw.application,
    title: text(raw.title),
    port: numberOrNull(raw.port),
    online: raw.online === true || raw.state === 'active',
    enabled: raw.enabled !== false,
    reverseProxy: reverseTypes.has(raw.application),
  };
}

function parseDevice(raw: unknown, account: GraphqlAccount, reverseTypes: Set<number>): ListedDevice | null {
  if (!isObject(raw) || typeof raw.id !== 'string') return null;
  const owner = isObject(raw.owner) ? { id: text(raw.owner.id), email: text(raw.owner.email) } : account;
  const services = Array.isArray(raw.services) ? raw.services : [];
  return {
    id: raw.id,
    name: text(raw.name) || raw.id,
    online: raw.state === 'active',
    owner,
    shared: owner.id !== account.id,
    services: services
      .map((service) => parseService(service, reverseTypes))
      .filter((service): service is ListedService => service !== null),
  };
}

function reverseProxyTypes(applicationTypes: unknown): Set<number> {
  if (!Array.isArray(applicationTypes)) throw missing('missingApplicationTypes');
  return new Set(
    applicationTypes
      .filter((type): type is Json => isObject(type) && type.proxy === true && typeof type.id === 'number')
      .map((type) => type.id as number),
  );
}

/** Every device of the account, its own and those shared with it, through all pages. */
export async function listServices(config: GraphqlConfig): Promise<GraphqlAnswer<ServiceListing>> {
  const size = Math.min(config.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const devices: ListedDevice[] = [];
  let account: GraphqlAccount | null = null;
  let warning: string | null = null;
  for (let from = 0; ;) {
    const page = await postGraphql(config, LIST, { size, from });
    warning = page.warning ?? warning;
    account = parseAccount(page.value.login);
    const reverseTypes = reverseProxyTypes(page.value.applicationTypes);
    const listing = (page.value.login as Json).devices;
    if (!isObject(listing) || !Array.isArray(listing.items)) throw missing('missingDeviceList');
    for (const item of listing.items) {
      const device = parseDevice(item, account, reverseTypes);
      if (device) devices.push(device);
    }
    from += listing.items.length;
    // An empty page ends the listing even if hasMore says otherwise, so a bad reply cannot loop forever.
    if (listing.hasMore !== true || listing.items.length === 0) break;
  }
  return { value: { account, devices }, warning };
}

/**
 * A reverse proxy opens as https://<host>. The local simulator cannot serve TLS: its endpoint is plain http
 * on loopback (the only place an http endpoint is accepted), and its reverse proxies are plain http too.
 */
function proxyUrl(endpoint: string, host: string, port: number | null): string {
  if (port !== null) return `http://${host}:${port}`;
  return `${new URL(endpoint).protocol === 'http:' ? 'http' : 'https'}://${host}`;
}

/**
 * Opens a cloud proxy. `hostIP` sets the mode exactly as on v27: "0.0.0.0" public, an IPv4 address
 * restricted to it, "255.255.255.255" latching (also remote.it's default when it is null).
 */
export async function connect(
  config: GraphqlConfig,
  serviceId: string,
  hostIP: string | null,
): Promise<GraphqlAnswer<GraphqlConnectResult>> {
  const { value, warning } = await postGraphql(config, CONNECT, { serviceId, hostIP });
  const connection = value.connect;
  if (!isObject(connection) || typeof connection.id !== 'string' || !connection.id) {
    throw missing('missingConnectionId');
  }
  const port = numberOrNull(connection.port);
  const timeout = numberOrNull(connection.timeout);
  return {
    value: {
      connectionId: connection.id,
      // Checked by the caller (checkProxy), which also ends a connection whose proxy it cannot use.
      proxy: typeof connection.host === 'string' ? proxyUrl(config.endpoint, connection.host, port) : '',
      reverseProxy: connection.reverseProxy === true,
      expiresInSec: timeout !== null && timeout > 0 ? timeout : 28_800,
      createdAt: timeOrNull(connection.created),
    },
    warning,
  };
}

/** Ends a connection. One remote.it no longer knows is an 'api' error carrying its words. */
export async function disconnect(
  config: GraphqlConfig,
  serviceId: string,
  connectionId: string,
): Promise<GraphqlAnswer<void>> {
  const { value, warning } = await postGraphql(config, DISCONNECT, { serviceId, connectionId });
  if (value.disconnect !== true) throw missing('missingStopConfirmation');
  return { value: undefined, warning };
}

function parseSession(raw: unknown): LiveSession | null {
  if (!isObject(raw) || typeof raw.id !== 'string') return null;
  const target = isObject(raw.target) ? raw.target : {};
  const device = isObject(target.device) ? target.device : {};
  const endpoint = isObject(raw.endpoint) ? raw.endpoint : {};
  const user = isObject(raw.user) ? raw.user : {};
  return {
    connectionId: raw.id,
    createdAt: timeOrNull(raw.timestamp),
    source: text(raw.source),
    serviceId: text(target.id),
    serviceName: text(target.name),
    typeId: numberOrNull(target.application),
    deviceId: text(device.id),
    deviceName: text(device.name),
    platform: typeof endpoint.platform === 'string' ? endpoint.platform : null,
    userEmail: typeof user.email === 'string' ? user.email : null,
  };
}

/**
 * Every live connection of the account, including those other apps opened: a caller stops only the ones
 * whose `connectionId` it recorded itself.
 */
export async function listSessions(config: GraphqlConfig): Promise<GraphqlAnswer<LiveSession[]>> {
  const { value, warning } = await postGraphql(config, SESSIONS);
  const login = value.login;
  if (!isObject(login) || !Array.isArray(login.sessions)) throw missing('missingConnectionList');
  return {
    value: login.sessions.map(parseSession).filter((session): session is LiveSession => session !== null),
    warning,
  };
}
