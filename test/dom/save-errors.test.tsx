/** A save refused because storage is full says so (role="alert") and keeps what the person entered. */
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, test } from 'vitest';
import { makeService } from '../fixtures';
import { fillStorage, renderOptions, renderPopup, signedInWith } from './pages';

const FULL = /storage for this extension is full/;

function serviceRow(name: string) {
  return within(screen.getByRole('group', { name }));
}

function type(input: HTMLElement, value: string) {
  fireEvent.input(input, { target: { value } });
  fireEvent.change(input);
}

describe('the options page when storage is full', () => {
  test('a rename shows the error and keeps the new name in the field', async () => {
    await signedInWith([makeService()]);
    await renderOptions();
    fillStorage();
    const name = serviceRow('Garage Pi - SSH').getByLabelText('Name');
    type(name, 'Workshop Pi');
    expect((await serviceRow('Garage Pi - SSH').findByRole('alert')).textContent).toMatch(FULL);
    expect((name as HTMLInputElement).value).toBe('Workshop Pi');
  });

  test('an SSH user shows the error and keeps what was typed', async () => {
    await signedInWith([makeService()]);
    await renderOptions();
    fillStorage();
    const user = serviceRow('Garage Pi - SSH').getByLabelText('SSH user name');
    type(user, 'pi');
    expect((await serviceRow('Garage Pi - SSH').findByRole('alert')).textContent).toMatch(FULL);
    expect((user as HTMLInputElement).value).toBe('pi');
  });

  test('a connection mode shows the error and keeps the choice', async () => {
    await signedInWith([makeService()]);
    await renderOptions();
    fillStorage();
    const mode = serviceRow('Garage Pi - SSH').getByLabelText('Connection mode');
    fireEvent.change(mode, { target: { value: 'public' } });
    expect((await serviceRow('Garage Pi - SSH').findByRole('alert')).textContent).toMatch(FULL);
    expect((mode as HTMLSelectElement).value).toBe('public');
  });

  test('preferences show the error and keep the choice', async () => {
    await signedInWith([makeService()]);
    await renderOptions();
    fillStorage();
    const section = within(screen.getByRole('region', { name: 'Connections' }));
    const idle = section.getByLabelText('Stop port connections not used again for');
    fireEvent.change(idle, { target: { value: '30' } });
    expect((await section.findByRole('alert')).textContent).toMatch(FULL);
    expect((idle as HTMLSelectElement).value).toBe('30');
  });

  test('the advanced settings show the error and keep the fields', async () => {
    await signedInWith([makeService()]);
    await renderOptions();
    fillStorage();
    const section = within(screen.getByRole('region', { name: 'Advanced' }));
    const timeout = section.getByLabelText('Give up on a request after (seconds)');
    fireEvent.input(timeout, { target: { value: '20' } });
    fireEvent.click(section.getByRole('button', { name: 'Save' }));
    expect((await section.findByRole('alert')).textContent).toMatch(FULL);
    expect((timeout as HTMLInputElement).value).toBe('20');
  });

  test('adding a service by ID shows the error and keeps the form', async () => {
    await signedInWith([]);
    await renderOptions();
    fillStorage();
    const form = within(screen.getByRole('form', { name: 'Add a service by ID' }));
    fireEvent.input(form.getByLabelText('Service ID'), { target: { value: '80:00:00:00:01:0A:2B:3C' } });
    fireEvent.input(form.getByLabelText('Name'), { target: { value: 'Boat SSH' } });
    fireEvent.click(form.getByRole('button', { name: 'Add service' }));
    expect((await form.findByRole('alert')).textContent).toMatch(FULL);
    expect((form.getByLabelText('Name') as HTMLInputElement).value).toBe('Boat SSH');
  });
});

describe('the popup when storage is full', () => {
  test('a favourite shows the error', async () => {
    await signedInWith([makeService()]);
    await renderPopup();
    fillStorage();
    fireEvent.click(screen.getByRole('button', { name: 'Favourite Garage Pi - SSH' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(FULL);
  });
});
