/** A 5,000-service account: import, then the popup opens and finds a service by typing. */
import { expect, test } from 'vitest';
import { startSimulator } from '../simulator/server';
import { launchExtension } from './harness';

test('with 5,000 services the popup renders only what is visible and finds one by typing', async () => {
  const simulator = await startSimulator({ scale: 5000 });
  const extension = await launchExtension(simulator);
  try {
    const options = await extension.signIn();
    await options.getByRole('button', { name: 'Import from your account' }).click();
    await options.getByRole('button', { name: 'Save all 5000 services' }).click();
    await options.getByText('Saved. You now have 5000 services.').waitFor();
    // Far beyond storage.sync's 100 KB: the catalog lives in storage.local instead.
    expect(JSON.parse((await extension.storage()).catalogFallback as string)).toHaveLength(5000);
    await options.close();

    const popup = await extension.openPopup();
    await popup.getByText('5000 services').waitFor();
    expect(await popup.locator('.services li').count()).toBeLessThan(20);
    await popup.keyboard.type('device 1234 vnc');
    await popup.getByText('1 of 5000 services').waitFor();
    expect(await popup.locator('.services .name').allInnerTexts()).toEqual(['Device 1234 - VNC']);

    await popup.getByRole('searchbox').fill('');
    await popup.getByRole('searchbox').press('ArrowDown');
    // As with a held-down key, repeats start once the first row has focus.
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset')))
      .toBe('1');
    for (let step = 0; step < 30; step++) await popup.keyboard.press('ArrowDown');
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset')))
      .toBe('31');
    expect(await popup.locator('.services li').count()).toBeLessThan(20);
  } finally {
    await extension.close();
    await simulator.close();
  }
});
