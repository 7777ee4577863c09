/** The extension in Chromium against a simulator, shared by the tests of one file. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server';
import { launchExtension, type Extension } from './harness';

export interface Environment {
  simulator: Simulator;
  extension: Extension;
}

type Options = SimulatorOptions & { requestTimeoutSec?: number };

export function extensionEnvironment(options: Options = {}, setup: { signedIn?: boolean } = {}): Environment {
  const environment = {} as Environment;
  beforeAll(async () => {
    environment.simulator = await startSimulator(options);
    environment.extension = await launchExtension(environment.simulator, options);
    if (!setup.signedIn) return;
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

/** Signed in, with the demo account imported. */
export function signedInEnvironment(options: Options = {}): Environment {
  return extensionEnvironment(options, { signedIn: true });
}
