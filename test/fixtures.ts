/** Saved services and connections as the extension stores them, for tests that need them without a connect. */
import type { SavedService } from '../src/shared/catalog';
import type { ConnectionRecord } from '../src/shared/storage/connections';

/** A distinct, valid service ID for the n-th service of a test catalog. */
export function serviceId(n: number): string {
  const hex = n.toString(16).toUpperCase().padStart(8, '0');
  return `80:00:00:00:${hex.match(/../g)!.join(':')}`;
}

/** An online SSH service imported from the account, with whatever a test needs changed. */
export function makeService(overrides: Partial<SavedService> = {}): SavedService {
  return {
    id: '80:00:00:00:00:01:2B:01',
    name: 'Garage Pi - SSH',
    device: 'Garage Pi',
    type: 'SSH',
    typeId: 28,
    online: true,
    source: 'account',
    ...overrides,
  };
}

export const GARAGE_SSH = makeService();

export const GARAGE_WEB = makeService({
  id: '80:00:00:00:00:01:2B:02',
  name: 'Garage Pi - Web UI',
  type: 'HTTP',
  typeId: 7,
});

/** A live port connection of `makeService()`'s service, an hour from expiry, with whatever a test needs changed. */
export function makeConnection(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id: 'connection-1',
    serviceId: GARAGE_SSH.id,
    serviceName: GARAGE_SSH.name,
    proxy: 'https://proxy.rt3.io:33001/',
    reverseProxy: false,
    mode: 'latching',
    hostip: '255.255.255.255',
    tabIds: [],
    releasedAt: null,
    phase: 'open',
    bootId: 'boot-1',
    sessionId: 'session-1',
    startedAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    idleStopAt: null,
    ...overrides,
  };
}
