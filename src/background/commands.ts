/**
 * Keyboard shortcuts. `_execute_action` (open the popup) is handled by the browser itself; these connect the
 * first, second and third favourite as the popup lists them. None has a default key (see the README): the
 * person picks them on the browser's shortcuts page.
 */
import { t } from '../shared/i18n';
import { readWithChoices } from '../shared/storage/choices';
import { connectFrom, reportFailure } from './entry-points';
import { favouriteAt } from './menu-model';

export const FAVOURITE_COMMAND = /^connect-favourite-([1-9])$/;

export async function onCommand(command: string): Promise<void> {
  const position = FAVOURITE_COMMAND.exec(command)?.[1];
  if (!position) return;
  const { services, lastUsed } = await readWithChoices('lastUsed');
  const service = favouriteAt({ services, lastUsed }, Number(position));
  if (!service)
    return reportFailure('shortcut', t('favouriteNumber', position), t('fewerFavourites', position));
  await connectFrom('shortcut', service.id);
}
