/** Saved services as the extension stores them, for tests that need a catalog without importing one. */
import type { SavedService } from '../src/shared/catalog';

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
