/**
 * Ways in without the popup: the page's right-click menu, keyboard shortcuts, the address bar keyword, and
 * the notifications that stand in for the popup while it is closed.
 */
import { useEffect, useState } from 'preact/hooks';
import browser, { isFirefox } from '../shared/browser';
import { t } from '../shared/i18n';
import { Marked } from '../shared/Marked';
import { updatePreferences } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import { connectsSelectedIds, wantsNotifications, type Preferences } from '../shared/storage/schema';
import { FormMessage } from './Field';

interface Shortcut {
  name?: string;
  description?: string;
  shortcut?: string;
}

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
        setError(t('browserDidNotOpen', CHROME_SHORTCUTS, (failure as Error).message)),
      );

  return (
    <section id="shortcuts" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">{t('menusShortcutsNotifications')}</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={wantsNotifications(preferences)}
          onChange={(event) => save({ notifications: event.currentTarget.checked })}
        />
        {t('showNotifications')}
      </label>
      <p class="muted">{t('notificationsExplained')}</p>
      <label class="check">
        <input
          type="checkbox"
          checked={connectsSelectedIds(preferences)}
          onChange={(event) => save({ connectSelectedIds: event.currentTarget.checked })}
        />
        {t('connectSelectedIds')}
      </label>
      <p class="muted">{t('pageMenuExplained')}</p>
      <h3>{t('keyboardShortcuts')}</h3>
      <ul class="shortcuts">
        {shortcuts.map((command) => (
          <li key={command.name}>
            {command.description || t('commandOpenPopup')}:{' '}
            {command.shortcut ? <kbd>{command.shortcut}</kbd> : <span class="muted">{t('notSet')}</span>}
          </li>
        ))}
      </ul>
      {isFirefox() ? (
        <p>
          <Marked
            message="firefoxShortcuts"
            parts={[<code>about:addons</code>, <strong>{t('firefoxManageShortcuts')}</strong>]}
          />
        </p>
      ) : (
        <p>
          <button type="button" onClick={openShortcutsPage}>
            {t('setKeyboardShortcuts')}
          </button>{' '}
          <span class="muted">
            <Marked message="opensPage" parts={[<code>{CHROME_SHORTCUTS}</code>]} />
          </span>
        </p>
      )}
      <h3>{t('addressBar')}</h3>
      <p>
        <Marked message="addressBarExplained" parts={[<kbd>rit</kbd>]} />
      </p>
      <FormMessage error={error} />
    </section>
  );
}
