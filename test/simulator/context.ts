/** What the simulator's API surfaces share: its options, the accounts and the live connections. */
import type { ConnectionBook } from './connections';
import type { SimAccount } from './demo-data';

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

export interface SimContext {
  readonly accounts: SimAccount[];
  readonly options: SimulatorOptions;
  readonly connectionBook: ConnectionBook;
}
