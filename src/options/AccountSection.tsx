/**
 * Sign in two ways: with an access key (GraphQL; every account, two-factor ones included) or with a developer
 * key and email + password (v27; or a pasted session token). Sign out.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { isSignedIn, signIn, signInWithAccessKey, signInWithToken } from '../shared/auth';
import { requestEndpointAccess } from '../shared/endpoint-access';
import { formatTime } from '../shared/format';
import { send } from '../shared/messages';
import type { Account, Settings } from '../shared/storage/schema';
import { Field, FormMessage, fieldAria } from './Field';

type Method = 'access-key' | 'password' | 'token';
type Errors = {
  keyId?: string;
  developerKey?: string;
  email?: string;
  secret?: string;
  form?: string;
};

const TWO_FACTOR =
  'This account uses two-factor authentication, which password sign-in cannot complete. Sign in with an access key instead.';

/** The worker queues every connection's stop first, and keeps what those stops need to be delivered. */
function signOutEverywhere(): Promise<null> {
  return send('sign-out', {});
}

function errorsFor(error: unknown, method: Method): Errors {
  if (!(error instanceof ApiError)) return { form: `Sign-in failed: ${(error as Error).message}` };
  switch (error.kind) {
    case 'developer-key':
      return { developerKey: error.message };
    case 'credentials':
      return { secret: error.message };
    case 'token':
      return { secret: 'remote.it did not accept that session token. Copy a fresh one and try again.' };
    case 'mfa':
      return method === 'password' ? { form: TWO_FACTOR } : { form: error.message };
    default:
      return { form: error.message };
  }
}

interface Props {
  account: Account | undefined;
  settings: Settings;
  /** Kept when a session ends by itself, so signing in again only needs the password. */
  rememberedDeveloperKey: string;
  usesAccessKey: boolean;
}

function SignedIn({ account, usesAccessKey }: { account: Account; usesAccessKey: boolean }) {
  return (
    <section id="account" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <p>
        Signed in as <strong>{account.email}</strong>
        {usesAccessKey ? ' with an access key.' : '.'}
      </p>
      <p class="muted">
        {usesAccessKey
          ? 'Every request is signed with the key; nothing expires until you delete the key on remote.it.'
          : account.tokenExpiresAt
            ? `The session token holds until ${formatTime(account.tokenExpiresAt)} and renews itself without your password.`
            : 'Signed in with a pasted session token: when it expires you will be asked to sign in again.'}
      </p>
      <button type="button" onClick={() => void signOutEverywhere()}>
        Sign out
      </button>
    </section>
  );
}

/** The field that takes what grants access: a secret key, a password or a session token. */
function SecretField(props: {
  label: string;
  hint: string;
  autocomplete: 'current-password' | 'off';
  error: string | undefined;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <Field id="secret" label={props.label} error={props.error} hint={props.hint}>
      <input
        {...fieldAria('secret', props.error, true)}
        type="password"
        autocomplete={props.autocomplete}
        spellcheck={false}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Field>
  );
}

export function AccountSection({ account, settings, rememberedDeveloperKey, usesAccessKey }: Props) {
  const [method, setMethod] = useState<Method>(rememberedDeveloperKey ? 'password' : 'access-key');
  const [keyId, setKeyId] = useState('');
  const [developerKey, setDeveloperKey] = useState(rememberedDeveloperKey);
  const [email, setEmail] = useState(account?.email ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  function choose(next: Method) {
    setMethod(next);
    setSecret('');
    setErrors({});
  }

  function missingFields(): Errors {
    const missing: Errors = {};
    if (method === 'access-key') {
      if (!keyId.trim()) missing.keyId = 'Enter the access key ID.';
      if (!secret.trim()) missing.secret = 'Paste the secret access key.';
      return missing;
    }
    if (!developerKey.trim()) missing.developerKey = 'Enter your developer key.';
    if (!email.trim()) missing.email = 'Enter the email you sign in to remote.it with.';
    if (!secret) missing.secret = method === 'password' ? 'Enter your password.' : 'Paste a session token.';
    return missing;
  }

  async function submit(event: Event) {
    event.preventDefault();
    // Asked first, inside the click: the prompt needs the user gesture.
    const access = requestEndpointAccess(settings.endpoint);
    const missing = missingFields();
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
      if (method === 'access-key') await signInWithAccessKey({ keyId: keyId.trim(), secret: secret.trim() });
      else if (method === 'password') await signIn({ ...input, password: secret });
      else await signInWithToken({ ...input, token: secret.trim() });
      setSecret('');
    } catch (error) {
      const next = errorsFor(error, method);
      if (error instanceof ApiError && error.kind === 'mfa' && method === 'password') choose('access-key');
      setErrors(next);
    } finally {
      setBusy(false);
    }
  }

  if (account && isSignedIn(account)) return <SignedIn account={account} usesAccessKey={usesAccessKey} />;

  return (
    <section id="account" aria-labelledby="account-heading">
      <h2 id="account-heading">Sign in to remote.it</h2>
      {account?.signedOutReason && <p class="notice error">{account.signedOutReason}</p>}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset class="sign-in-method">
          <legend>Sign in with</legend>
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={method === 'access-key'}
              onChange={() => choose('access-key')}
            />{' '}
            Access key
          </label>
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={method !== 'access-key'}
              onChange={() => choose('password')}
            />{' '}
            Developer key and password
          </label>
        </fieldset>
        {method === 'access-key' ? (
          <>
            <Field
              id="access-key-id"
              label="Access key ID"
              error={errors.keyId}
              hint="On remote.it: Account → Access Keys → Create access key. Works with two-factor authentication."
            >
              <input
                {...fieldAria('access-key-id', errors.keyId, true)}
                autocomplete="off"
                spellcheck={false}
                value={keyId}
                onInput={(event) => setKeyId(event.currentTarget.value)}
              />
            </Field>
            <SecretField
              label="Secret access key"
              hint="remote.it shows it once, when the key is made. Kept on this computer only."
              autocomplete="off"
              error={errors.secret}
              value={secret}
              onInput={setSecret}
            />
          </>
        ) : (
          <>
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
              <SecretField
                label="Password"
                hint="Used once to sign in; the extension never stores it."
                autocomplete="current-password"
                error={errors.secret}
                value={secret}
                onInput={setSecret}
              />
            ) : (
              <SecretField
                label="Session token"
                hint="A session token copied from a signed-in remote.it session."
                autocomplete="off"
                error={errors.secret}
                value={secret}
                onInput={setSecret}
              />
            )}
          </>
        )}
        <FormMessage error={errors.form} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          {method !== 'access-key' && (
            <button
              type="button"
              class="link"
              onClick={() => choose(method === 'password' ? 'token' : 'password')}
            >
              {method === 'password' ? 'Paste a session token instead' : 'Use a password instead'}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
