import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, test } from 'vitest';
import { ServicesSection } from '../../src/options/ServicesSection';
import { readCatalog, writeCatalog } from '../../src/shared/storage/choices';
import { DEFAULT_PREFERENCES } from '../../src/shared/storage/schema';
import { makeService } from '../fixtures';

async function renderWithUser(sshUser?: string) {
  const saved = makeService({ sshUser });
  await writeCatalog([saved]);
  render(<ServicesSection services={[saved]} preferences={DEFAULT_PREFERENCES} signedIn={false} />);
  return screen.getByLabelText('SSH user name') as HTMLInputElement;
}

function type(input: HTMLInputElement, value: string) {
  fireEvent.input(input, { target: { value } });
  fireEvent.change(input, { target: { value } });
}

describe('the SSH user name of a service', () => {
  test('a name that would run code when the command is pasted is refused next to the field', async () => {
    const input = await renderWithUser('pi');
    type(input, '$(id)');
    const error = await screen.findByRole('alert');
    expect(error.textContent).toMatch(/letters, digits, dots, underscores and hyphens/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(error.id);
    // What was typed stays in the field to be corrected; the saved name does not change.
    expect(input.value).toBe('$(id)');
    expect((await readCatalog())[0]!.sshUser).toBe('pi');
  });

  test('a plain name is saved, and clearing the field removes it', async () => {
    const input = await renderWithUser();
    type(input, ' deploy-bot ');
    await waitFor(async () => expect((await readCatalog())[0]!.sshUser).toBe('deploy-bot'));
    expect(input.getAttribute('aria-invalid')).toBeNull();
    type(input, '');
    await waitFor(async () => expect((await readCatalog())[0]!.sshUser).toBeUndefined());
  });
});
