/** Wording shared by the popup and the options page. */
import type { ConnectionMode } from './catalog';

export const MODE_LABELS: Record<ConnectionMode['kind'], string> = {
  latching: 'IP latching',
  public: 'Public',
  restricted: 'Restricted to one IP',
};

export function describeMode(mode: ConnectionMode): string {
  return mode.kind === 'restricted' ? `Restricted to ${mode.ip}` : MODE_LABELS[mode.kind];
}

/** "7:59:12" / "4:05" / "0:09" */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
