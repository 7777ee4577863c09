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
  /** The friend's device is shared with the demo account (off by default: the demo lists its own only). */
  sharedDevices?: boolean;
  /** How far a signed request's Date may be from the server's clock; remote.it's limit is unknown. */
  signatureSkewSec?: number;
  /** The server's clock runs this far ahead of the machine's (negative: behind), for clock-skew tests. */
  clockOffsetMs?: number;
  /** Every answer carries `X-R3-Warning` with this value, as remote.it warns deprecated clients. */
  warningHeader?: string;
}

export interface SimContext {
  readonly accounts: SimAccount[];
  readonly options: SimulatorOptions;
  readonly connectionBook: ConnectionBook;
  /** The server's clock in milliseconds: the machine's plus `clockOffsetMs`. */
  now(): number;
}
