/**
 * What the popup and the options page show instead of a blank page when they fail: what happened, in plain
 * words, and a way out that never touches the sign-in.
 */
import { Component, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t } from './i18n';
import { Marked } from './Marked';
import { resetDamagedData } from './storage/local';

interface RecoveryProps {
  error: unknown;
  /** Shows the page again from storage (in the extension: reloads it). */
  onRecover: () => void;
}

export function PageRecovery({ error, onRecover }: RecoveryProps) {
  const [resetError, setResetError] = useState<string | null>(null);

  async function reset() {
    try {
      await resetDamagedData();
      onRecover();
    } catch (failure) {
      setResetError(t('resetFailed', (failure as Error).message));
    }
  }

  return (
    <main class="page-recovery">
      <h1>{t('somethingWentWrong')}</h1>
      <p role="alert">{t('pageNotShown')}</p>
      <p>
        <Marked message="resetExplanation" parts={[<strong>{t('resetDamagedData')}</strong>]} />
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void reset()}>
          {t('resetDamagedData')}
        </button>
        <button type="button" onClick={onRecover}>
          {t('reload')}
        </button>
      </div>
      {resetError && (
        <p class="notice error" role="alert">
          {resetError}
        </p>
      )}
      <details>
        <summary>{t('bugReportDetails')}</summary>
        <code>{error instanceof Error ? error.message : String(error)}</code>
      </details>
    </main>
  );
}

interface BoundaryProps {
  onRecover: () => void;
  children: ComponentChildren;
}

export class ErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state = { error: undefined as unknown };

  static override getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown) {
    console.error('The page failed to render', error);
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return <PageRecovery error={this.state.error} onRecover={this.props.onRecover} />;
  }
}
