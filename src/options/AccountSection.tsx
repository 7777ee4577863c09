/** Sign in with a developer key and email + password (or a pasted token for two-factor accounts); sign out. */
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { isSignedIn, signIn, signInWithToken } from '../shared/auth';
import { formatTime } from '../shared/format';
import { send } from '../shared/messages';
import type { Account, Settings } from '../shared/storage/schema';
import { Field, FormMessage, fieldAria } from './Field';
import { requestEndpointAccess } from '../shared/endpoint-access';

type Method = 'password' | 'token';
type Errors = { developerKey?: string; email?: string; secret?: string; form?: string };

/** The worker queues every connection's stop first, and keeps what those stops need to be delivered. */
function signOutEverywhere(): Promise<null> {
  return send('sign-out', {});
}

function errorsFor(error: unknown): Errors {
  if (!(error instanceof ApiError)) return { form: `Sign-in failed: ${(error as Error).message}` };
  switch (error.kind) {
    case 'developer-key':
      return { developerKey: error.message };
    case 'credentials':
      return { secret: error.message };
    case 'token':
      return { secret: 'remote.it did not accept that session token. Copy a fresh one and try again.' };
    default:
      return { form: error.message };
  }
}

interface Props {
  account: Account | undefined;
  settings: Settings;
  /** Kept when a session ends by itself, so signing in again only needs the password. */
  rememberedDeveloperKey: string;
}

export function AccountSection({ account, settings, rememberedDeveloperKey }: Props) {
  const [method, setMethod] = useState<Method>('password');
  const [developerKey, setDeveloperKey] = useState(rememberedDeveloperKey);
  const [email, setEmail] = useState(account?.email ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    // Asked first, inside the click: the prompt needs the user gesture.
    const access = requestEndpointAccess(settings.endpoint);
    const missing: Errors = {};
    if (!developerKey.trim()) missing.developerKey = 'Enter your developer key.';
    if (!email.trim()) missing.email = 'Enter the email you sign in to remote.it with.';
    if (!secret) missing.secret = method === 'password' ? 'Enter your password.' : 'Paste a session token.';
    if (Object.keys(missing).length) return setErrors(missing);
    setBusy(true);
    setErrors({});
    try {
      if (!(await access)) {
        return setErrors({
          form: `The extension needs access to ${new URL(settings.endpoint).hostname} to sign in there.`,
        });
      }
      const input = { developerKey: developerKey.trim(), email: email.trim() };
      await (method === 'password'
        ? signIn({ ...input, password: secret })
        : signInWithToken({ ...input, token: secret.trim() }));
      setSecret('');
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'mfa') {
        setMethod('token');
        setSecret('');
      }
      setErrors(errorsFor(error));
    } finally {
      setBusy(false);
    }
  }

  if (account && isSignedIn(account)) {
    return (
      <section id="account" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <p>
          Signed in as <strong>{account.email}</strong>.
        </p>
        <p class="muted">
          {account.tokenExpiresAt
            ? `The session token holds until ${formatTime(account.tokenExpiresAt)} and renews itself without your password.`
            : 'Signed in with a pasted session token: when it expires you will be asked to sign in again.'}
        </p>
        <button type="button" onClick={() => void signOutEverywhere()}>
          Sign out
        </button>
      </section>
    );
  }

  return (
    <section id="account" aria-labelledby="account-heading">
      <h2 id="account-heading">Sign in to remote.it</h2>
      {account?.signedOutReason && <p class="notice error">{account.signedOutReason}</p>}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          id="developer-key"
          label="Developer key"
          error={errors.developerKey}
          hint="On remote.it: Account → Access Keys → Developer API key."
        >
          <input
            {...fieldAria('developer-key', errors.developerKey, true)}
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={developerKey}
            onInput={(event) => setDeveloperKey(event.currentTarget.value)}
          />
        </Field>
        <Field id="email" label="Email" error={errors.email}>
          <input
            {...fieldAria('email', errors.email)}
            type="email"
            autocomplete="username"
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </Field>
        {method === 'password' ? (
          <Field
            id="secret"
            label="Password"
            error={errors.secret}
            hint="Used once to sign in; the extension never stores it."
          >
            <input
              {...fieldAria('secret', errors.secret, true)}
              type="password"
              autocomplete="current-password"
              value={secret}
              onInput={(event) => setSecret(event.currentTarget.value)}
            />
          </Field>
        ) : (
          <Field
            id="secret"
            label="Session token"
            error={errors.secret}
            hint="Two-factor accounts cannot sign in with a password here. Sign in at remote.it, copy your session token, and paste it."
          >
            <input
              {...fieldAria('secret', errors.secret, true)}
              type="password"
              autocomplete="off"
              spellcheck={false}
              value={secret}
              onInput={(event) => setSecret(event.currentTarget.value)}
            />
          </Field>
        )}
        <FormMessage error={errors.form} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <button
            type="button"
            class="link"
            onClick={() => {
              setMethod(method === 'password' ? 'token' : 'password');
              setSecret('');
              setErrors({});
            }}
          >
            {method === 'password'
              ? 'My account uses two-factor authentication'
              : 'Sign in with a password instead'}
          </button>
        </div>
      </form>
    </section>
  );
}
