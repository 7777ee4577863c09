/** One-time work on install and update: bring stored data to the current schema, build the menus. */
import { migrate } from '../shared/storage/migrate';
import { rebuildMenus } from './menus';

export async function onInstalled(): Promise<void> {
  await migrate();
  await rebuildMenus();
}
