/** Wording shared by the popup and the options page: connection modes, times and durations. */
import type { ConnectionMode } from './catalog';
import { t, uiLanguage } from './i18n';

export const MODE_KINDS: ConnectionMode['kind'][] = ['latching', 'public', 'restricted'];

export function modeLabel(kind: ConnectionMode['kind']): string {
  switch (kind) {
    case 'latching':
      return t('modeLatching');
    case 'public':
      return t('modePublic');
    case 'restricted':
      return t('modeRestricted');
  }
}

export function describeMode(mode: ConnectionMode): string {
  return mode.kind === 'restricted' ? t('modeRestrictedTo', mode.ip) : modeLabel(mode.kind);
}

/** "7:59:12" / "4:05" / "0:09", in the digits of the browser's language. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const digits = (minimumIntegerDigits: number) =>
    new Intl.NumberFormat(uiLanguage(), { minimumIntegerDigits, useGrouping: false });
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = digits(2).format(total % 60);
  return hours
    ? `${digits(1).format(hours)}:${digits(2).format(minutes)}:${seconds}`
    : `${digits(1).format(minutes)}:${seconds}`;
}

/** "Nov 28, 2026, 4:50 PM" / "28.11.2026, 16:50" */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** "25 seconds", "1 minute", "4 hours" / "25 Sekunden", "1 Minute", "4 Stunden" */
export function formatDuration(amount: number, unit: 'second' | 'minute' | 'hour'): string {
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}
