/** Finding services: empty states, import by device, refresh, adding by ID, the popup's order and keyboard. */
import { describe, expect, test } from 'vitest';
import { extensionEnvironment } from './fixtures';

const env = extensionEnvironment();

// The tests of this file build on each other, as a person's first session would.
describe('a first session', () => {
  test('signed out, the popup leads to sign-in', async () => {
    const popup = await env.extension.openPopup();
    await popup.getByText('Sign in to remote.it to reach your services from here.').waitFor();
    const opened = env.extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toMatch(/options\/index\.html/);
    await options.getByRole('heading', { name: 'Sign in to remote.it' }).waitFor();
    await options.close();
  });

  test('signed in without services, the popup leads to import', async () => {
    await (await env.extension.signIn()).close();
    const popup = await env.extension.openPopup();
    await popup.getByText('No saved services yet.').waitFor();
    const opened = env.extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Import services from your account' }).click();
    const options = await opened;
    await options.waitForLoadState();
    expect(new URL(options.url()).hash).toBe('#services');
    await options.close();
  });

  test('import groups services under their devices; the person saves the ones they pick', async () => {
    const options = await env.extension.openOptions();
    await options.getByRole('button', { name: 'Import from your account' }).click();
    const groups = options.getByRole('group');
    await groups.first().waitFor();
    expect(await options.locator('legend').allInnerTexts()).toEqual([
      'Garage Pi',
      'Office PC',
      'Home NAS',
      'Cabin Pi (offline)',
    ]);
    // The "Bulk Service" entry is the device itself, not something to connect to.
    expect(await groups.getByRole('checkbox').count()).toBe(7);
    await options.getByRole('checkbox', { name: /Office PC - VNC/ }).uncheck();
    await options.getByRole('button', { name: 'Save selected (6)' }).click();
    await options.getByText('Saved. You now have 6 services.').waitFor();

    const popup = await env.extension.openPopup();
    await popup.getByText('6 services').waitFor();
    expect(await popup.getByRole('button', { name: /Connect Office PC - VNC/ }).count()).toBe(0);
  });

  test("refresh keeps the person's names and favourites and updates online state", async () => {
    const options = await env.extension.openOptions();
    const row = options.getByRole('group', { name: 'Garage Pi - SSH' });
    await row.getByLabel('Name', { exact: true }).fill('Workshop shell');
    await row.getByLabel('Name', { exact: true }).press('Enter');
    await options.getByRole('group', { name: 'Workshop shell' }).getByLabel('Favourite').check();
    for (const service of env.simulator.accounts[0]!.services)
      if (service.alias.startsWith('Garage Pi')) service.active = false;

    await options.getByRole('button', { name: 'Refresh from your account' }).click();
    await options.getByText(/Updated 6 saved services\. 1 new in your account/).waitFor();
    const refreshed = options.getByRole('group', { name: 'Workshop shell' });
    expect(await refreshed.getByLabel('Favourite').isChecked()).toBe(true);
    await refreshed.getByText(/· Offline/).waitFor();
    for (const service of env.simulator.accounts[0]!.services)
      service.active = !service.alias.startsWith('Cabin Pi');
  });

  test('adding by hand: a malformed ID is explained next to the field, a good one is saved', async () => {
    const options = await env.extension.openOptions();
    const id = options.getByLabel('Service ID');
    await id.fill('80:00:00:00:00:01:2B');
    await options.getByLabel('Name', { exact: true }).last().fill('Lab box');
    await options.getByRole('button', { name: 'Add service' }).click();
    await expect
      .poll(() => options.locator('#add-id-error').innerText())
      .toMatch(/eight pairs of hex digits/);
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    expect(await id.getAttribute('aria-describedby')).toBe('add-id-error');
    expect(await options.getByRole('group', { name: 'Lab box' }).count()).toBe(0);

    await id.fill('80:00:00:00:00:03:2b:02');
    await options.getByRole('button', { name: 'Add service' }).click();
    await expect
      .poll(() => options.locator('#add-id-error').innerText())
      .toBe('That service is already saved as “Home NAS - Backup TCP”.');

    await id.fill('80:00:00:00:00:07:2b:01');
    await options.getByRole('button', { name: 'Add service' }).click();
    await options.getByText('Added Lab box.').waitFor();
    await options.getByRole('group', { name: 'Lab box' }).getByText('80:00:00:00:00:07:2B:01').waitFor();
  });

  test('the popup: favourites first, offline services last, and Enter skips them', async () => {
    const popup = await env.extension.openPopup();
    const names = await popup.locator('.services .name').allInnerTexts();
    expect(names[0]).toBe('Workshop shell');
    expect(names.slice(-2)).toEqual(['Cabin Pi - SSH', 'Garage Pi - Web UI']);
    await popup.getByRole('searchbox').fill('garage');
    // A name that starts with the query outranks a favourite that matches only by its device.
    expect(await popup.locator('.services .name').allInnerTexts()).toEqual([
      'Garage Pi - Web UI',
      'Workshop shell',
    ]);
    await popup.getByRole('searchbox').press('Enter');
    // Both Garage Pi services are offline: Enter connects nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.simulator.calls('device/connect')).toHaveLength(0);
  });

  test('keyboard only: type, arrow to a service, Enter connects it, Escape clears', async () => {
    const popup = await env.extension.openPopup();
    const search = popup.getByRole('searchbox', { name: 'Search services' });
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(true);
    await popup.keyboard.type('office');
    await popup.keyboard.press('ArrowDown');
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.textContent))
      .toMatch(/^Connect Office PC - RDP/);
    await popup.keyboard.press('Enter');
    await popup.getByText('Copied to the clipboard:').waitFor();
    expect(env.simulator.calls('device/connect')[0]?.body).toMatchObject({
      deviceaddress: '80:00:00:00:00:02:2B:01',
    });
    await popup.getByRole('button', { name: 'Connect Office PC - RDP (connected)' }).focus();
    await popup.keyboard.press('Escape');
    expect(await search.inputValue()).toBe('');
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(true);
    await env.extension.resetConnections();
  });
});
