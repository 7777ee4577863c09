/** `/__sim/*`: a small control surface for the demo and manual testing (log, connections, faults, tokens). */
import type { FaultRule } from './faults';
import type { Simulator } from './server';

export const ADMIN_PREFIX = '/__sim/';

/** The action behind `/__sim/<command>`, or undefined for an unknown command. */
export function adminAction(
  simulator: Simulator,
  command: string,
  body: Record<string, unknown>,
): (() => unknown) | undefined {
  const actions: Record<string, () => unknown> = {
    log: () => simulator.log,
    connections: () =>
      simulator.liveConnections().map(({ listener, ...rest }) => ({ ...rest, proxy: listener.proxy })),
    fault: () => simulator.addFault(body as unknown as FaultRule),
    'clear-faults': () => simulator.clearFaults(),
    'expire-tokens': () => simulator.expireTokens(),
  };
  return actions[command];
}
