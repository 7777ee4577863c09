import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, test, vi } from 'vitest';
import { ModeEditor } from '../../src/options/ModeEditor';

function renderRestricted() {
  const onChange = vi.fn();
  render(
    <ModeEditor
      id="mode"
      label="Connection mode"
      value={{ kind: 'restricted', ip: '81.2.69.160' }}
      onChange={onChange}
    />,
  );
  const input = screen.getByLabelText('Allowed IP address') as HTMLInputElement;
  const enter = (ip: string) => {
    fireEvent.input(input, { target: { value: ip } });
    fireEvent.blur(input);
  };
  return { input, enter, onChange };
}

describe('restricting a connection to one IP', () => {
  test.each(['192.168.1.10', '127.0.0.1', '0.0.0.0', '10.1.2.3'])(
    '%s is refused with a message next to the field',
    (ip) => {
      const { input, enter, onChange } = renderRestricted();
      enter(ip);
      const error = screen.getByRole('alert');
      expect(error.textContent).toMatch(
        new RegExp(`^${ip.replace(/\./g, '\\.')} is not a public IPv4 address`),
      );
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toContain(error.id);
      expect(onChange).not.toHaveBeenCalled();
    },
  );

  test('a public address is saved', () => {
    const { enter, onChange } = renderRestricted();
    enter(' 8.8.4.4 ');
    expect(onChange).toHaveBeenCalledWith({ kind: 'restricted', ip: '8.8.4.4' });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
