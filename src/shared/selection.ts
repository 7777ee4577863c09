/**
 * What a piece of text selected on a page offers to connect: a saved service (by its ID, or by exactly its
 * name), or a service ID that is not saved yet. Pure: the menus, and their tests, call it with the saved list.
 */
import { normaliseServiceId, type SavedService } from './catalog';
import { t } from './i18n';

export type SelectionTarget =
  { kind: 'saved'; service: SavedService } | { kind: 'unsaved-id'; id: string } | null;

/** Longer selections are never a name or an ID: not worth comparing against every saved service. */
const MAX_SELECTION = 500;

/**
 * A service ID in any case, with or without white space around it (a double-click or a triple-click picks up
 * spaces and line breaks), or the exact name of one saved service (case and inner spaces as saved; only the
 * white space around the selection is ignored). A name several saved services share names none of them, so
 * nothing is offered rather than the wrong one.
 */
export function parseSelection(text: string | undefined, services: SavedService[]): SelectionTarget {
  if (!text || text.length > MAX_SELECTION) return null;
  const trimmed = text.trim();
  if (!trimmed) return null;
  const id = normaliseServiceId(trimmed);
  if (id) {
    const service = services.find((candidate) => candidate.id === id);
    return service ? { kind: 'saved', service } : { kind: 'unsaved-id', id };
  }
  const named = services.filter((service) => service.name === trimmed);
  return named.length === 1 ? { kind: 'saved', service: named[0]! } : null;
}

/** The menu item's title for a selection target. */
export function selectionTitle(target: NonNullable<SelectionTarget>): string {
  return t('connectToTarget', target.kind === 'saved' ? target.service.name : target.id);
}

/**
 * A service known only by its ID, as "Connect to <ID>" saves it: named by its ID until the person renames
 * it; the type is a guess the person can change (remote.it's reply still decides whether it opens in a tab).
 */
export function unnamedService(id: string, type = 'TCP'): SavedService {
  return { id, name: id, device: '', type, typeId: null, online: null, source: 'manual' };
}
