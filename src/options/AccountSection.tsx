/**
 * Sign in two ways: with an access key (GraphQL; every account, two-factor ones included) or with a developer
 * key and email + password (v27; or a pasted session token). Sign out.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { isSignedIn, signIn, signInWithAccessKey, signInWithToken } from '../shared/auth';
import { requestEndpointAccess } from '../shared/endpoint-access';
import { formatTime } from '../shared/format';
import { t } from '../shared/i18n';
import { Marked } from '../shared/Marked';
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

/** The worker queues every connection's stop first, and keeps what those stops need to be delivered. */
function signOutEverywhere(): Promise<null> {
  return send('sign-out', {});
}

function errorsFor(error: unknown, method: Method): Errors {
  if (!(error instanceof ApiError)) return { form: t('signInFailed', (error as Error).message) };
  switch (error.kind) {
    case 'developer-key':
      return { developerKey: error.message };
    case 'credentials':
      return { secret: error.message };
    case 'token':
      return { secret: t('tokenNotAccepted') };
    case 'mfa':
      return method === 'password' ? { form: t('twoFactorUseAccessKey') } : { form: error.message };
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
      <h2 id="account-heading">{t('account')}</h2>
      <p>
        <Marked
          message={usesAccessKey ? 'signedInWithAccessKeyAs' : 'signedInAs'}
          parts={[<strong>{account.email}</strong>]}
        />
      </p>
      <p class="muted">
        {usesAccessKey
          ? t('accessKeyNeverExpires')
          : account.tokenExpiresAt
            ? t('sessionHoldsUntil', formatTime(account.tokenExpiresAt))
            : t('pastedTokenExpires')}
      </p>
      <button type="button" onClick={() => void signOutEverywhere()}>
        {t('signOut')}
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
      if (!keyId.trim()) missing.keyId = t('enterAccessKeyId');
      if (!secret.trim()) missing.secret = t('pasteSecretAccessKey');
      return missing;
    }
    if (!developerKey.trim()) missing.developerKey = t('enterDeveloperKey');
    if (!email.trim()) missing.email = t('enterEmail');
    if (!secret) missing.secret = method === 'password' ? t('enterPassword') : t('pasteSessionToken');
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
          form: t('needsAccessToSignIn', new URL(settings.endpoint).hostname),
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
      <h2 id="account-heading">{t('signInToRemoteit')}</h2>
      {account?.signedOutReason && <p class="notice error">{account.signedOutReason}</p>}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset class="sign-in-method">
          <legend>{t('signInWith')}</legend>
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={method === 'access-key'}
              onChange={() => choose('access-key')}
            />{' '}
            {t('accessKey')}
          </label>
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={method !== 'access-key'}
              onChange={() => choose('password')}
            />{' '}
            {t('developerKeyAndPassword')}
          </label>
        </fieldset>
        {method === 'access-key' ? (
          <>
            <Field
              id="access-key-id"
              label={t('accessKeyId')}
              error={errors.keyId}
              hint={t('accessKeyIdHint')}
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
              label={t('secretAccessKey')}
              hint={t('secretAccessKeyHint')}
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
              label={t('developerKey')}
              error={errors.developerKey}
              hint={t('developerKeyHint')}
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
            <Field id="email" label={t('email')} error={errors.email}>
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
                label={t('password')}
                hint={t('passwordHint')}
                autocomplete="current-password"
                error={errors.secret}
                value={secret}
                onInput={setSecret}
              />
            ) : (
              <SecretField
                label={t('sessionToken')}
                hint={t('sessionTokenHint')}
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
            {busy ? t('signingIn') : t('signIn')}
          </button>
          {method !== 'access-key' && (
            <button
              type="button"
              class="link"
              onClick={() => choose(method === 'password' ? 'token' : 'password')}
            >
              {method === 'password' ? t('pasteTokenInstead') : t('usePasswordInstead')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
