/**
 * Sign-in and the token lifecycle. The password is used once and never stored; the token and the
 * `service_authhash` (which renews the token silently) are kept in storage.local only.
 */
import {
  ApiError,
  DEFAULT_ENDPOINT,
  listServices,
  login,
  loginWithAuthhash,
  type ApiConfig,
  type LoginResult,
} from './api';
import { readLocal, writeLocal } from './storage/local';
import type { Account, Secrets, Settings } from './storage/schema';
import browser from './browser';

/** Renew this long before remote.it's stated expiry, so a call does not race the deadline. */
const RENEW_MARGIN_MS = 60_000;

export function apiConfig(settings: Settings, developerKey: string): ApiConfig {
  return {
    endpoint: settings.endpoint || DEFAULT_ENDPOINT,
    developerKey,
    timeoutMs: settings.requestTimeoutSec * 1000,
  };
}

/** The account record is written and removed together with the secrets, so it alone tells. */
export function isSignedIn(account: Account | undefined): boolean {
  return !!account && !account.signedOutReason;
}

/** Stores a session; an authhash the reply left out keeps the one we had. Returns the secrets as stored. */
async function storeSession(
  developerKey: string,
  result: LoginResult,
  previousAuthhash: string | null = null,
): Promise<Secrets> {
  const secrets: Secrets = {
    developerKey,
    token: result.token,
    authhash: result.authhash ?? previousAuthhash,
  };
  await writeLocal({ secrets, account: { email: result.email, tokenExpiresAt: result.expiresAt } });
  return secrets;
}

export async function signIn(input: {
  developerKey: string;
  email: string;
  password: string;
}): Promise<void> {
  const { settings } = await readLocal('settings');
  const result = await login(apiConfig(settings, input.developerKey), input.email, input.password);
  await storeSession(input.developerKey, result);
}

/** For accounts with two-factor authentication: a token copied from a signed-in remote.it session. */
export async function signInWithToken(input: {
  developerKey: string;
  email: string;
  token: string;
}): Promise<void> {
  const { settings } = await readLocal('settings');
  // A cheap authenticated call proves the token works before anything is stored.
  await listServices(apiConfig(settings, input.developerKey), input.token);
  await storeSession(input.developerKey, {
    token: input.token,
    expiresAt: null,
    authhash: null,
    email: input.email,
  });
}

export async function signOut(): Promise<void> {
  await browser.storage.local.remove(['secrets', 'account']);
}

function signedOutError(reason: string): ApiError {
  return new ApiError('signed-out', reason);
}

async function endSession(account: Account, secrets: Secrets, reason: string): Promise<never> {
  // Keep the developer key (the sign-in form offers it again) and the email; drop everything that grants access.
  await writeLocal({
    secrets: { developerKey: secrets.developerKey, token: '', authhash: null },
    account: { ...account, signedOutReason: reason },
  });
  throw signedOutError(reason);
}

let renewal: Promise<Secrets> | null = null;

async function renew(settings: Settings, account: Account, secrets: Secrets): Promise<Secrets> {
  if (!secrets.authhash)
    return endSession(account, secrets, 'Your remote.it session has expired. Sign in again.');
  try {
    const result = await loginWithAuthhash(
      apiConfig(settings, secrets.developerKey),
      account.email,
      secrets.authhash,
    );
    return await storeSession(secrets.developerKey, result, secrets.authhash);
  } catch (error) {
    if (error instanceof ApiError && !error.transient) {
      return endSession(
        account,
        secrets,
        `Your remote.it session has expired and could not be renewed. ${error.message} Sign in again.`,
      );
    }
    throw error;
  }
}

/** One renewal at a time, and none when another call already replaced the stale token. */
function renewOnce(settings: Settings, account: Account, stale: Secrets): Promise<Secrets> {
  renewal ??= (async () => {
    const { secrets } = await readLocal('secrets');
    if (secrets?.token && secrets.token !== stale.token) return secrets;
    return renew(settings, account, stale);
  })().finally(() => {
    renewal = null;
  });
  return renewal;
}

/**
 * Runs an authenticated API call with the stored session. An expired token is renewed first; a token the API
 * rejects is renewed and the call retried once. Only when renewal fails is the person asked to sign in.
 */
export async function withSession<T>(call: (config: ApiConfig, token: string) => Promise<T>): Promise<T> {
  const { secrets, account, settings } = await readLocal('secrets', 'account', 'settings');
  if (!secrets?.token || !account || !isSignedIn(account)) {
    throw signedOutError(account?.signedOutReason ?? 'Sign in to remote.it in the extension options first.');
  }
  let current = secrets;
  if (account.tokenExpiresAt !== null && account.tokenExpiresAt - RENEW_MARGIN_MS <= Date.now()) {
    current = await renewOnce(settings, account, secrets);
  }
  try {
    return await call(apiConfig(settings, current.developerKey), current.token);
  } catch (error) {
    if (!(error instanceof ApiError) || error.kind !== 'token') throw error;
    current = await renewOnce(settings, account, current);
    return call(apiConfig(settings, current.developerKey), current.token);
  }
}
