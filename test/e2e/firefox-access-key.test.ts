/**
 * The Firefox build signed in with only an access key: the options page signs GraphQL requests whose Date a
 * declarativeNetRequest session rule sets (fetch drops it), then import, a web service in a tab that is
 * disconnected when the tab closes, a port proxy copied, and Stop all.
 */
import { expect, test } from 'vitest';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_EMAIL } from '../simulator/demo-data';
import { clickButton, firefoxEnvironment, waitForText } from './firefox-harness';

const env = firefoxEnvironment();

const GARAGE_WEB = '80:00:00:00:00:01:2B:02';

const graphql = (operation: string) => env.simulator.calls(`graphql:${operation}`);
/** The connection ids the extension disconnected, in order. */
const disconnected = () =>
  graphql('disconnect')
    .filter((entry) => entry.status === 200)
    .map((entry) => (entry.body as { variables: { connectionId: string } }).variables.connectionId);

test('in Firefox with an access key: sign in, import, open a web service and stop it with its tab, copy a port proxy, Stop all', async () => {
  const options = await env.extension.openOptionsAt(env.simulator);
  // The access key is the way offered first.
  await options.type('#access-key-id', DEMO_ACCESS_KEY_ID);
  await options.type('#secret', DEMO_ACCESS_KEY_SECRET);
  await clickButton(options, /^Sign in$/);
  await waitForText(options, `Signed in as ${DEMO_EMAIL} with an access key.`);
  // The Date that reached the server is the one signed: set by the session rule, since fetch drops it.
  const [login] = graphql('login');
  expect(login!.status).toBe(200);
  expect(Math.abs(Date.parse(login!.headers.date!) - Date.now())).toBeLessThan(60_000);
  expect(login!.headers.authorization).toMatch(/^Signature keyId="DEMOACCESSKEY0123456"/);
  const rules = await options.evaluate(() => browser.declarativeNetRequest.getSessionRules());
  expect(rules).toHaveLength(1);
  expect(rules[0]).toMatchObject({
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'date', value: login!.headers.date }] },
    condition: { urlFilter: `|${env.simulator.graphqlUrl}|` },
  });
  expect(await options.evaluate(() => browser.storage.sync.get(null).then(JSON.stringify))).not.toContain(
    DEMO_ACCESS_KEY_SECRET,
  );

  await clickButton(options, /^Import from your account$/);
  await clickButton(options, /^Save all/);
  await waitForText(options, 'You now have 7 services');
  expect(graphql('devices').map((entry) => entry.status)).toEqual([200]);
  await options.close();

  const popup = await env.extension.openPopup();
  const opened = env.extension.nextPage();
  await clickButton(popup, /^Connect Garage Pi - Web UI/);
  const tab = await opened;
  await tab.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  const [web] = env.simulator.liveConnections();
  expect(web!.serviceId).toBe(GARAGE_WEB);
  await tab.close();
  await expect.poll(disconnected, { timeout: 15_000 }).toEqual([web!.connectionId]);
  expect(graphql('disconnect')[0]!.body).toMatchObject({
    variables: { serviceId: GARAGE_WEB, connectionId: web!.connectionId },
  });
  expect(web!.listener.closed).toBe(true);

  await clickButton(popup, /^Connect Garage Pi - SSH/);
  await waitForText(popup, 'Copied to the clipboard');
  const ssh = env.simulator.liveConnections().find((connection) => connection.endedAt === null)!;
  expect(await popup.$eval('code', (element) => element.textContent)).toBe(
    `ssh -p ${ssh.listener.port} 127.0.0.1`,
  );

  await clickButton(popup, /^Connect Office PC - RDP/);
  await waitForText(popup, 'Active connections (2)');
  const made = env.simulator.liveConnections().map((connection) => connection.connectionId);
  expect(made).toHaveLength(2);
  await clickButton(popup, /^Stop all/);
  await expect.poll(() => disconnected().slice(1).sort(), { timeout: 15_000 }).toEqual([...made].sort());
  expect(env.simulator.liveConnections()).toEqual([]);
  expect(graphql('connect').map((entry) => entry.status)).toEqual([200, 200, 200]);
  // Everything went through GraphQL.
  expect(env.simulator.log.filter((entry) => !entry.path.startsWith('graphql:'))).toEqual([]);
  await popup.close();
});
