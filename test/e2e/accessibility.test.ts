/**
 * axe-core finds no violation at any impact level in the popup and the options page, in each state a person
 * meets, in light and in dark.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './a11y';
import { extensionEnvironment } from './fixtures';

const env = extensionEnvironment();

async function expectNoViolations(page: Page, state: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await accessibilityViolations(page), `${state}, ${colorScheme}`).toEqual([]);
  }
}

describe('no accessibility violations', () => {
  test('signed out: the popup and the sign-in form, empty and with errors', async () => {
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectNoViolations(popup, 'popup signed out');
    await popup.close();
    const options = await env.extension.openOptions();
    await options.getByRole('heading', { name: 'Sign in to remote.it' }).waitFor();
    await expectNoViolations(options, 'options signed out');
    await options.getByRole('button', { name: 'Sign in', exact: true }).click();
    await options.locator('#secret-error').waitFor();
    await expectNoViolations(options, 'sign-in errors');
    await options.close();
  });

  test('signed in: options with the import open, the popup list, search, connecting, connected and an error', async () => {
    const options = await env.extension.signInWithAccessKey();
    await options.getByRole('button', { name: 'Import from your account' }).click();
    await options.getByRole('button', { name: /^Save all/ }).waitFor();
    await expectNoViolations(options, 'options with the import');
    await options.getByRole('button', { name: /^Save all/ }).click();
    await options.getByText(/^Saved\. You now have/).waitFor();
    await expectNoViolations(options, 'options signed in');
    await options.close();

    const popup = await env.extension.openPopup();
    await popup.getByText('7 services').waitFor();
    await expectNoViolations(popup, 'popup list');
    await popup.getByRole('searchbox').fill('no such service');
    await popup.getByText('0 of 7 services').waitFor();
    await expectNoViolations(popup, 'popup search without results');
    await popup.getByRole('searchbox').fill('');

    env.simulator.addFault({ fault: 'slow', path: 'graphql:connect', delayMs: 3_000, times: 1 });
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await popup.getByText('Connecting…').waitFor();
    await expectNoViolations(popup, 'popup connecting');
    await popup.getByText('Copied to the clipboard:').waitFor({ timeout: 15_000 });
    await expectNoViolations(popup, 'popup connected');

    await popup.getByRole('button', { name: 'Connect Cabin Pi - SSH' }).click();
    await popup.getByRole('alert').first().waitFor();
    await expectNoViolations(popup, 'popup with an error');
  });
});
