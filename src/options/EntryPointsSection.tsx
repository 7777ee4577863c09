/**
 * Ways in without the popup: the page's right-click menu, keyboard shortcuts, the address bar keyword, and
 * the notifications that stand in for the popup while it is closed.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from '../shared/browser';
import { updatePreferences } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import { connectsSelectedIds, wantsNotifications, type Preferences } from '../shared/storage/schema';
import { FormMessage } from './Field';

interface Shortcut {
  name?: string;
  description?: string;
  shortcut?: string;
}

const isFirefox = () => browser.runtime.getURL('').startsWith('moz-extension:');
const CHROME_SHORTCUTS = 'chrome://extensions/shortcuts';

export function EntryPointsSection({ preferences }: { preferences: Preferences }) {
  const [error, setError] = useState<string | null>(null);
  const [shortcuts, setShortcuts] = useState<Shortcut[]>([]);
  useEffect(() => {
    // Without the commands API (or when it fails), the shortcuts are simply not listed.
    void Promise.resolve()
      .then(() => browser.commands.getAll())
      .then(setShortcuts, () => setShortcuts([]));
  }, []);
  const save = (change: Partial<Preferences>) =>
    void updatePreferences((current) => ({ ...current, ...change })).then(
      () => setError(null),
      (failure) => setError(describeSaveError(failure)),
    );
  const openShortcutsPage = () =>
    void browser.tabs
      .create({ url: CHROME_SHORTCUTS })
      .catch((failure: unknown) =>
        setError(`The browser did not open ${CHROME_SHORTCUTS}: ${(failure as Error).message}`),
      );

  return (
    <section id="shortcuts" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">Menus, shortcuts and notifications</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={wantsNotifications(preferences)}
          onChange={(event) => save({ notifications: event.currentTarget.checked })}
        />
        Show notifications while the popup is closed
      </label>
      <p class="muted">
        Only when something needs you: a connect from a menu, a shortcut or the address bar failed; a port
        connection stops in 5 minutes (it expires, or reaches your idle limit); a stop never reached
        remote.it.
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={connectsSelectedIds(preferences)}
          onChange={(event) => save({ connectSelectedIds: event.currentTarget.checked })}
        />
        Connect an unsaved ID selected on a page without asking here first
      </label>
      <p class="muted">
        Right-click a page for your favourites and recently used services, or selected text that is a service
        ID or a saved service’s name to connect it. An ID you have not saved is added as a service named by
        its ID.
      </p>
      <h3>Keyboard shortcuts</h3>
      <ul class="shortcuts">
        {shortcuts.map((command) => (
          <li key={command.name}>
            {command.description || 'Open the remote.it popup'}:{' '}
            {command.shortcut ? <kbd>{command.shortcut}</kbd> : <span class="muted">not set</span>}
          </li>
        ))}
      </ul>
      {isFirefox() ? (
        <p>
          To set them in Firefox, open <code>about:addons</code>, click the gear menu (⚙) and choose{' '}
          <strong>Manage Extension Shortcuts</strong>. (An extension cannot open that page for you.)
        </p>
      ) : (
        <p>
          <button type="button" onClick={openShortcutsPage}>
            Set keyboard shortcuts
          </button>{' '}
          <span class="muted">
            opens <code>{CHROME_SHORTCUTS}</code>
          </span>
        </p>
      )}
      <h3>Address bar</h3>
      <p>
        Type <kbd>rit</kbd>, a space, then part of a service’s name, device, type or ID, and pick it; Enter
        connects it. Alt+Enter (Chrome) opens a web service in a new tab.
      </p>
      <FormMessage error={error} />
    </section>
  );
}
