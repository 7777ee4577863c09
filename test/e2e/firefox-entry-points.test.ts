/**
 * The page menu and the address bar keyword in Firefox. Headless Firefox has no menu to click and no address
 * bar to type in, so the test calls what Firefox's own UI calls, from its privileged (chrome) scope over
 * WebDriver BiDi: the menu click is the event Firefox's menu code emits to the extension
 * ("webext-menu-menuitem-click"), and the keyword goes through ExtensionSearchHandler, as the address bar does.
 */
import { expect, test } from 'vitest';
import { firefoxEnvironment, signInAndImport } from './firefox-harness';

const env = firefoxEnvironment();

const GECKO_ID = 'connect@remoteit-extension.example';
const SSH = '80:00:00:00:00:01:2B:01';

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: Record<string, unknown> }>;
}

/** Runs an expression in Firefox's privileged browser window. */
async function inBrowserChrome(expression: string): Promise<unknown> {
  const connection = (env.extension.firefox as unknown as { connection: BidiConnection }).connection;
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const context = (tree.result.contexts as { context: string }[])[0]!.context;
  const reply = await connection.send('script.evaluate', {
    expression,
    target: { context },
    awaitPromise: true,
  });
  return reply.result;
}

const PRELUDE = `
  const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
  const { ExtensionSearchHandler } = ChromeUtils.importESModule('resource://gre/modules/ExtensionSearchHandler.sys.mjs');
  const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(GECKO_ID)});
`;

const connects = () => env.simulator.calls('device/connect').filter((entry) => entry.status === 200);

test('in Firefox: a page menu item and the rit keyword connect like the popup', async () => {
  const options = await env.extension.openOptionsAt(env.simulator);
  await signInAndImport(options);
  await options.close();

  // A selected service name, clicked in the page menu.
  await inBrowserChrome(`(() => { ${PRELUDE}
    extension.emit('webext-menu-menuitem-click', {
      menuItemId: 'page-selection', selectionText: 'Garage Pi - SSH', editable: false, modifiers: [], button: 0,
    }, null); })()`);
  await expect.poll(() => connects().length, { timeout: 15_000 }).toBe(1);
  expect(connects()[0]!.body).toEqual({ deviceaddress: SSH, wait: 'true', hostip: '255.255.255.255' });

  // The keyword: what the address bar does when the person types "rit office rdp" and presses Enter.
  const suggestions = await inBrowserChrome(`new Promise((resolve) => { ${PRELUDE}
    ExtensionSearchHandler.handleSearch({ keyword: 'rit', text: 'rit office rdp' }, (found) => resolve(JSON.stringify(found)));
  })`);
  expect(JSON.stringify(suggestions)).toContain('Office PC - RDP');
  await inBrowserChrome(`(() => { ${PRELUDE}
    ExtensionSearchHandler.handleInputEntered('rit', 'rit office rdp', 'current'); })()`);
  await expect.poll(() => connects().length, { timeout: 15_000 }).toBe(2);
  expect(connects()[1]!.body).toMatchObject({ hostip: '255.255.255.255' });
  expect(env.simulator.liveConnections()).toHaveLength(2);
});
