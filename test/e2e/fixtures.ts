/** A signed-in extension with the demo account imported, shared by the tests of one file. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server';
import { launchExtension, type Extension } from './harness';

export interface Environment {
  simulator: Simulator;
  extension: Extension;
}

export function signedInEnvironment(
  options: SimulatorOptions & { requestTimeoutSec?: number } = {},
): Environment {
  const environment = {} as Environment;
  beforeAll(async () => {
    environment.simulator = await startSimulator(options);
    environment.extension = await launchExtension(environment.simulator, options);
    const page = await environment.extension.signIn();
    await environment.extension.importAll(page);
    await page.close();
  });
  afterEach(async () => {
    environment.simulator.clearFaults();
    await environment.extension.resetConnections();
    environment.simulator.log.length = 0;
  });
  afterAll(async () => {
    await environment.extension?.close();
    await environment.simulator?.close();
  });
  return environment;
}
