/** Live proxy connections: each one's real listener, its 8-hour lifetime and idle timeout, and its end. */
import { randomUUID } from 'node:crypto';
import { isReverseProxyType, type SimService } from './demo-data';
import { openPortProxy, openReverseProxy, type IpFilter, type ProxyListener } from './proxies';

export type ConnectionMode = 'public' | 'restricted' | 'latching';

export interface SimConnection {
  connectionId: string;
  serviceId: string;
  /** The account that opened it. */
  email: string;
  /** The IP address the connect came from. */
  source: string;
  /** The app that opened it, as GraphQL's `sessions` reports it. */
  platform: string;
  hostip: string;
  mode: ConnectionMode;
  listener: ProxyListener;
  createdAt: number;
  expiresAt: number;
  idleExpiresAt: number;
  endedAt: number | null;
  endReason: 'stopped' | 'expired' | 'idle' | 'reset' | null;
}

export interface ConnectRequest {
  service: SimService;
  email: string;
  hostip: string;
  source: string;
  platform: string;
}

export interface ConnectionLimits {
  lifetimeSec: number;
  idleSec: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `hostip` is always a dotted IPv4 address: 0.0.0.0 (public), 255.255.255.255 (latching) or one client. */
export function isIpv4(hostip: string): boolean {
  return IPV4.test(hostip);
}

export function connectionMode(hostip: string): ConnectionMode {
  return hostip === '0.0.0.0' ? 'public' : hostip === '255.255.255.255' ? 'latching' : 'restricted';
}

function ipFilter(mode: ConnectionMode, hostip: string): IpFilter {
  switch (mode) {
    case 'public':
      return { kind: 'public' };
    case 'latching':
      return { kind: 'latching', latchedIp: null };
    case 'restricted':
      return { kind: 'restricted', ip: hostip };
  }
}

export class ConnectionBook {
  /** Every connection since the last reset, ended ones included (tests read how each one ended). */
  readonly all = new Map<string, SimConnection>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Read at each use, because the simulator's options can change between connects. */
  constructor(private readonly limits: () => ConnectionLimits) {}

  live(): SimConnection[] {
    return [...this.all.values()].filter((connection) => connection.endedAt === null);
  }

  /** Opens the listener a connect creates: a reverse proxy for web types, else a port proxy with its filter. */
  async open({ service, email, hostip, source, platform }: ConnectRequest): Promise<SimConnection> {
    const mode = connectionMode(hostip);
    const connectionId = randomUUID();
    const touch = () => this.touch(connectionId);
    const listener = isReverseProxyType(service.typeId)
      ? await openReverseProxy(service.alias, touch)
      : await openPortProxy(service.typeId, ipFilter(mode, hostip), touch);
    const { lifetimeSec, idleSec } = this.limits();
    const now = Date.now();
    const connection: SimConnection = {
      connectionId,
      serviceId: service.id,
      email,
      source,
      platform,
      hostip,
      mode,
      listener,
      createdAt: now,
      expiresAt: now + lifetimeSec * 1000,
      idleExpiresAt: now + idleSec * 1000,
      endedAt: null,
      endReason: null,
    };
    this.all.set(connectionId, connection);
    this.schedule(lifetimeSec * 1000, () => this.end(connection, 'expired'));
    this.scheduleIdleCheck(connection);
    return connection;
  }

  async end(connection: SimConnection, reason: SimConnection['endReason']): Promise<void> {
    if (connection.endedAt !== null) return;
    connection.endedAt = Date.now();
    connection.endReason = reason;
    await connection.listener.close();
  }

  /** Ends every live connection and forgets them all, as between tests. */
  async reset(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.live().map((connection) => this.end(connection, 'reset')));
    this.all.clear();
  }

  private touch(connectionId: string): void {
    const connection = this.all.get(connectionId);
    if (connection) connection.idleExpiresAt = Date.now() + this.limits().idleSec * 1000;
  }

  private scheduleIdleCheck(connection: SimConnection): void {
    this.schedule(Math.max(0, connection.idleExpiresAt - Date.now()), () => {
      if (connection.endedAt !== null) return;
      if (connection.idleExpiresAt <= Date.now()) void this.end(connection, 'idle');
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
}
