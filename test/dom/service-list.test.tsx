import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, test, vi } from 'vitest';
import type { SavedService } from '../../src/shared/catalog';
import { ServiceList } from '../../src/popup/ServiceList';
import { makeService, serviceId } from '../fixtures';

function services(count: number): SavedService[] {
  return Array.from({ length: count }, (_, index) =>
    makeService({
      id: serviceId(index),
      name: `Service ${index}`,
      device: 'Device',
      online: index % 3 !== 2,
    }),
  );
}

function Harness({
  list,
  onConnect = vi.fn(),
  onReturn = vi.fn(),
}: {
  list: SavedService[];
  onConnect?: (service: SavedService) => void;
  onReturn?: (clear: boolean) => void;
}) {
  return (
    <ServiceList
      services={list}
      connectedIds={new Set([list[0]!.id])}
      connectingIds={new Set([list[1]!.id])}
      focusRequest={null}
      onReturnToSearch={onReturn}
      onConnect={onConnect}
      onToggleFavourite={vi.fn()}
    />
  );
}

describe('the service list', () => {
  test('renders only the rows in view, even for 5,000 services', () => {
    render(<Harness list={services(5000)} />);
    expect(screen.getAllByRole('listitem').length).toBeLessThan(20);
    expect(screen.getAllByRole('listitem')[0]!.getAttribute('aria-setsize')).toBe('5000');
  });

  test('names each button by what it does and shows state', () => {
    render(<Harness list={services(5)} />);
    expect(screen.getByRole('button', { name: 'Connect Service 0 (connected)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connect Service 1 (connecting)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connect Service 2 (offline)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Favourite Service 3' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
  });

  test('arrow keys move focus one row at a time, past the visible window; Up from the top returns to search', () => {
    const onReturn = vi.fn();
    render(<Harness list={services(5000)} onReturn={onReturn} />);
    screen.getByRole('button', { name: 'Connect Service 0 (connected)' }).focus();
    for (let step = 0; step < 30; step++) fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toMatch(/^Connect Service 30/);
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement?.textContent).toMatch(/^Connect Service 0/);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(onReturn).toHaveBeenCalledWith(false);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(onReturn).toHaveBeenCalledWith(true);
  });

  test('Enter or a click on a row connects that service', () => {
    const onConnect = vi.fn();
    render(<Harness list={services(5)} onConnect={onConnect} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect Service 3' }));
    expect(onConnect).toHaveBeenCalledWith(expect.objectContaining({ name: 'Service 3' }));
  });
});
