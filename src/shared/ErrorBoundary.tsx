/**
 * What the popup and the options page show instead of a blank page when they fail: what happened, in plain
 * words, and a way out that never touches the sign-in.
 */
import { Component, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
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
      setResetError(`The reset did not work either: ${(failure as Error).message}`);
    }
  }

  return (
    <main class="page-recovery">
      <h1>Something went wrong</h1>
      <p role="alert">
        This page could not be shown, most likely because some of the extension’s stored data is damaged.
      </p>
      <p>
        <strong>Reset damaged data</strong> clears the messages, the recently used list and the connections
        under way on this computer, and repairs anything else stored in the wrong shape. You stay signed in,
        and your saved services and active connections are kept.
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void reset()}>
          Reset damaged data
        </button>
        <button type="button" onClick={onRecover}>
          Reload
        </button>
      </div>
      {resetError && (
        <p class="notice error" role="alert">
          {resetError}
        </p>
      )}
      <details>
        <summary>Details for a bug report</summary>
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
