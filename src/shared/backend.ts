/**
 * What the worker asks of remote.it about connections, whichever API answers: v27 REST with a developer key and
 * a session token, or GraphQL signed with an access key. The worker knows services and connections; only this
 * module, service-listing.ts and the two clients know which API is behind them.
 */
import { connect as v27Connect, stopConnection as v27Stop, type ApiConfig, type ConnectResult } from './api';
import {
  DEFAULT_GRAPHQL_ENDPOINT,
  connect as graphqlConnect,
  disconnect as graphqlDisconnect,
  listSessions,
  type GraphqlAnswer,
  type GraphqlConfig,
} from './graphql/client';

/**
 * A sign-in ready to call one of the two APIs. Callers build what they need from it (the worker a Backend, the
 * options page a service listing), so each context loads only the calls it makes.
 */
export type ApiAccess =
  | { api: 'v27'; config: ApiConfig; token: string }
  /** `onWarning` hears remote.it's `X-R3-Warning` (a client it means to retire, …) for the person to see. */
  | { api: 'graphql'; config: GraphqlConfig; onWarning: (warning: string) => void };

/** A GraphQL answer's value, its warning passed on. */
export function answerValue<T>(answer: GraphqlAnswer<T>, onWarning: (warning: string) => void): T {
  if (answer.warning) onWarning(answer.warning);
  return answer.value;
}

const REMOTEIT_API_HOSTS = new Set(['api.remot3.it', 'api.remote.it']);

/**
 * GraphQL lives beside v27 on the same host: remote.it's own at api.remote.it (api.remot3.it is the older
 * name of the v27 host), another endpoint (the simulator) at /graphql/v1 of its origin.
 */
export function graphqlEndpointFor(v27Endpoint: string): string {
  const url = new URL(v27Endpoint);
  return REMOTEIT_API_HOSTS.has(url.hostname) ? DEFAULT_GRAPHQL_ENDPOINT : new URL('/graphql/v1', url).href;
}

export interface LiveConnection {
  connectionId: string;
  serviceId: string;
  /** When remote.it made it (ms, this computer's clock); null when it did not say. */
  createdAt: number | null;
}

export interface Backend {
  connect(serviceId: string, hostip: string, timeoutMs: number): Promise<ConnectResult>;
  stop(serviceId: string, connectionId: string): Promise<void>;
  /** The account's live connections; null where the API cannot list them (v27 has no such call). */
  liveConnections: (() => Promise<LiveConnection[]>) | null;
}

export function backendFor(access: ApiAccess): Backend {
  if (access.api === 'v27') {
    const { config, token } = access;
    return {
      connect: (serviceId, hostip, timeoutMs) =>
        v27Connect({ ...config, timeoutMs }, token, serviceId, hostip),
      stop: (serviceId, connectionId) => v27Stop(config, token, serviceId, connectionId),
      liveConnections: null,
    };
  }
  const { config, onWarning } = access;
  const value = <T>(answer: GraphqlAnswer<T>): T => answerValue(answer, onWarning);
  return {
    connect: async (serviceId, hostip, timeoutMs) =>
      value(await graphqlConnect({ ...config, timeoutMs }, serviceId, hostip)),
    stop: async (serviceId, connectionId) => value(await graphqlDisconnect(config, serviceId, connectionId)),
    liveConnections: async () =>
      value(await listSessions(config)).map(({ connectionId, serviceId, createdAt }) => ({
        connectionId,
        serviceId,
        // On this computer's clock, to compare with when a request was sent.
        createdAt: createdAt === null ? null : createdAt - config.clock.offsetMs,
      })),
  };
}
