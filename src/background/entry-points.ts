/**
 * Connects started without the popup: a menu, a keyboard shortcut, the address bar. Each goes through
 * `connectService`, exactly as the popup's Connect does; what the popup would have shown on failure is kept as
 * a notice for it, and told in a notification while no popup is open.
 */
import { normaliseServiceId } from '../shared/catalog';
import { unnamedService } from '../shared/selection';
import type { ConnectOutcome } from '../shared/messages';
import { t } from '../shared/i18n';
import { readCatalog, updateCatalog } from '../shared/storage/choices';
import { addNotice } from '../shared/storage/local';
import browser from '../shared/browser';
import { connectService, type ConnectOptions } from './lifecycle/connect';
import type { EntryPoint } from './notification-rules';
import { notify } from './notifications';

export async function reportFailure(entry: EntryPoint, what: string, reason: string): Promise<void> {
  await addNotice('error', t('nameAndReason', what, reason));
  await notify({ kind: 'connect-failed', entry, what, reason });
}

/** Connects a saved service from an entry point; a failure is reported, never thrown. */
export async function connectFrom(
  entry: EntryPoint,
  serviceId: string,
  options: ConnectOptions = {},
): Promise<ConnectOutcome | null> {
  const name = (await readCatalog().catch(() => [])).find((service) => service.id === serviceId)?.name;
  try {
    const outcome = await connectService(serviceId, options);
    if (outcome.action === 'copied' && outcome.copyFailed)
      await notify({ kind: 'copy-failed', entry, name: name ?? serviceId, address: outcome.copied });
    return outcome;
  } catch (error) {
    await reportFailure(entry, name ?? serviceId, error instanceof Error ? error.message : String(error));
    return null;
  }
}

/** The options page asks before a service ID found on a page is saved: this is where it asks. */
export function askToAdd(serviceId: string): Promise<unknown> {
  return browser.tabs.create({
    url: browser.runtime.getURL(`src/options/index.html?connect=${encodeURIComponent(serviceId)}`),
  });
}

/**
 * A service ID that is not saved, from a selection: saved as a service named by its ID and connected, when the
 * person turned that on (otherwise the options page asks first, see `askToAdd`).
 */
export async function addAndConnect(entry: EntryPoint, serviceId: string): Promise<ConnectOutcome | null> {
  const id = normaliseServiceId(serviceId);
  if (!id) return null;
  try {
    await updateCatalog((services) =>
      services.some((service) => service.id === id) ? services : [...services, unnamedService(id)],
    );
  } catch (error) {
    await reportFailure(entry, id, error instanceof Error ? error.message : String(error));
    return null;
  }
  return connectFrom(entry, id);
}
