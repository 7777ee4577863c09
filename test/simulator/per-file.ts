/**
 * One simulator for the tests of a file, back to a clean state after each test, and the demo account's
 * services that tests talk to by ID.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from './server';

export const GARAGE_SSH_ID = '80:00:00:00:00:01:2B:01';
export const GARAGE_WEB_ID = '80:00:00:00:00:01:2B:02';
/** Cabin Pi's SSH: its device is offline. */
export const OFFLINE_SSH_ID = '80:00:00:00:00:04:2B:01';

/** Registers the hooks; `simulator` is ready inside every test of the file. */
export function simulatorPerFile(): { readonly simulator: Simulator } {
  const environment = {} as { simulator: Simulator };
  beforeAll(async () => {
    environment.simulator = await startSimulator();
  });
  afterEach(() => environment.simulator.reset());
  afterAll(() => environment.simulator.close());
  return environment;
}
