/**
 * Sign-in, two ways, and the session lifecycle. With a developer key and a password (v27 REST), the password
 * is used once and never stored; the token and the `service_authhash` (which renews the token silently) are
 * kept in storage.local only. With an access key (GraphQL), the key id and secret are kept there instead and
 * sign every request; there is no token to renew.
 *
 * A sign-in has an id. Connections remember it, so their stops are sent with the credentials that made them
 * even after the person signs out or changes the endpoint: such a sign-in is kept as a "retired session"
 * until its last queued stop is delivered.
 */
import { isSignedIn } from './account';
import {
  ApiError,
  DEFAULT_ENDPOINT,
  listServices,
  login,
  loginWithAuthhash,
  type ApiConfig,
  type LoginResult,
} from './api';
import { graphqlEndpointFor, type ApiAccess } from './backend';
import { fetchAccount, ServerClock, type GraphqlConfig } from './graphql/client';
import { sendSigned } from './graphql/date-rule';
import { t } from './i18n';
import { addNotice, readLocal, updateLocal, writeLocal } from './storage/local';
import type {
  Account,
  AccessKeySecrets,
  LocalState,
  PasswordSecrets,
  RetiredSession,
  Secrets,
  Settings,
} from './storage/schema';

/** Pages that only need this import it from './account', without the API clients. */
export { isSignedIn };

/** Renew this long before remote.it's stated expiry, so a call does not race the deadline. */
const RENEW_MARGIN_MS = 60_000;

export function apiConfig(
  settings: Pick<Settings, 'endpoint' | 'requestTimeoutSec'>,
  developerKey: string,
): ApiConfig {
  return {
    endpoint: settings.endpoint || DEFAULT_ENDPOINT,
    developerKey,
    timeoutMs: settings.requestTimeoutSec * 1000,
  };
}

function newSessionSecrets(developerKey: string, result: LoginResult): PasswordSecrets {
  return { sessionId: crypto.randomUUID(), developerKey, token: result.token, authhash: result.authhash };
}

/**
 * Stores a new sign-in. The one it replaces is kept as a retired session while a queued stop or a live
 * connection still names it, so those stops know their endpoint and account even if its credentials ended.
 */
function storeSignIn(secrets: Secrets, account: Account): Promise<void> {
  return updateLocal(
    ['secrets', 'account', 'settings', 'retiredSessions', 'pendingStops', 'connections'],
    (state) => {
      const previous = state.secrets;
      const stillNamed = [...Object.values(state.pendingStops), ...Object.values(state.connections)].some(
        (entry) => entry.sessionId === previous?.sessionId,
      );
      if (previous && state.account && stillNamed)
        state.retiredSessions[previous.sessionId] = {
          endpoint: state.settings.endpoint,
          secrets: previous,
          account: state.account,
        };
      state.secrets = secrets;
      state.account = account;
    },
  );
}

/** The secrets with nothing left that grants access: what an ended sign-in keeps. */
function withoutCredentials(secrets: Secrets): Secrets {
  return secrets.method === 'access-key'
    ? { ...secrets, secret: '' }
    : { ...secrets, token: '', authhash: null };
}

/** Whether the secrets still grant access (an ended sign-in keeps the rest to offer it again). */
function hasCredentials(secrets: Secrets | undefined): secrets is Secrets {
  return !!secrets && (secrets.method === 'access-key' ? !!secrets.secret : !!secrets.token);
}

/** Each GraphQL server's clock as its replies last showed it, for signing with the right time. */
const clocks = new Map<string, ServerClock>();

/** Tells the person once per text: remote.it's warnings repeat on every reply. */
const warningsShown = new Set<string>();
function showWarning(warning: string): void {
  if (warningsShown.has(warning)) return;
  warningsShown.add(warning);
  void addNotice('error', t('remoteitSays', warning));
}

function graphqlConfig(
  settings: Pick<Settings, 'endpoint' | 'requestTimeoutSec'>,
  secrets: Pick<AccessKeySecrets, 'keyId' | 'secret'>,
): GraphqlConfig {
  const endpoint = graphqlEndpointFor(settings.endpoint || DEFAULT_ENDPOINT);
  let clock = clocks.get(endpoint);
  if (!clock) clocks.set(endpoint, (clock = new ServerClock()));
  return {
    endpoint,
    accessKey: { id: secrets.keyId, secret: secrets.secret },
    timeoutMs: settings.requestTimeoutSec * 1000,
    clock,
    send: sendSigned,
  };
}

/** For every account, two-factor ones included: a key id and secret made under Account → Access Keys. */
export async function signInWithAccessKey(input: { keyId: string; secret: string }): Promise<void> {
  const { settings } = await readLocal('settings');
  const secrets: AccessKeySecrets = {
    method: 'access-key',
    sessionId: crypto.randomUUID(),
    keyId: input.keyId,
    secret: input.secret,
  };
  // The cheapest signed call proves the key id, the secret and the clock before anything is stored.
  const { value: account, warning } = await fetchAccount(graphqlConfig(settings, secrets));
  if (warning) showWarning(warning);
  await storeSignIn(secrets, { email: account.email, tokenExpiresAt: null });
}

function accountFor(result: LoginResult): Account {
  return { email: result.email, tokenExpiresAt: result.expiresAt };
}

export async function signIn(input: {
  developerKey: string;
  email: string;
  password: string;
}): Promise<void> {
  const { settings } = await readLocal('settings');
  const result = await login(apiConfig(settings, input.developerKey), input.email, input.password);
  await storeSignIn(newSessionSecrets(input.developerKey, result), accountFor(result));
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
  const result: LoginResult = { token: input.token, expiresAt: null, authhash: null, email: input.email };
  await storeSignIn(newSessionSecrets(input.developerKey, result), accountFor(result));
}

/** What ending a sign-in changes; the caller reads and writes it under the storage lock. */
type SignInState = Pick<LocalState, 'secrets' | 'account' | 'settings' | 'retiredSessions'>;

/**
 * Ends the current sign-in in `state`. When queued stops still need it (`keepFor`), it moves to the retired
 * sessions so those stops can be delivered (or, if its credentials had already ended, wait for the same account
 * to sign in at the same endpoint); otherwise nothing of it is kept.
 */
export function endCurrentSignIn(state: SignInState, keepFor: (sessionId: string) => boolean): void {
  const { secrets, account, settings, retiredSessions } = state;
  if (secrets && account && keepFor(secrets.sessionId))
    retiredSessions[secrets.sessionId] = { endpoint: settings.endpoint, secrets, account };
  state.secrets = undefined;
  state.account = undefined;
}

/** The id of the sign-in that can make calls now; null when signed out or its credentials ended. */
export function signedInSessionId({
  secrets,
  account,
}: Pick<LocalState, 'secrets' | 'account'>): string | null {
  return hasCredentials(secrets) && account && isSignedIn(account) ? secrets.sessionId : null;
}

/** Forgets the retired sessions that no queued stop needs any more; returns the endpoints they used. */
export function dropRetiredSessions(stillNeeded: (sessionId: string) => boolean): Promise<string[]> {
  return updateLocal(['retiredSessions'], ({ retiredSessions }) => {
    const dropped = Object.entries(retiredSessions).filter(([id]) => !stillNeeded(id));
    for (const [id] of dropped) delete retiredSessions[id];
    return dropped.map(([, session]) => session.endpoint);
  });
}

function signedOutError(reason: string): ApiError {
  return new ApiError('signed-out', reason);
}

/** Where a sign-in is kept: the current one in `secrets` + `account`, a retired one in `retiredSessions`. */
interface SessionSlot {
  load(): Promise<RetiredSession | null>;
  save(secrets: Secrets, account: Account): Promise<void>;
  /** Renewal failed for good: drop what grants access. */
  end(reason: string): Promise<void>;
}

const currentSlot: SessionSlot = {
  async load() {
    const { secrets, account, settings } = await readLocal('secrets', 'account', 'settings');
    if (!hasCredentials(secrets) || !account || !isSignedIn(account)) return null;
    return { endpoint: settings.endpoint, secrets, account };
  },
  async save(secrets, account) {
    await writeLocal({ secrets, account });
  },
  async end(reason) {
    await updateLocal(['secrets', 'account'], (state) => {
      if (!state.secrets || !state.account) return;
      // Keep the developer key (the sign-in form offers it again) and the email; drop what grants access.
      state.secrets = withoutCredentials(state.secrets);
      state.account = { ...state.account, signedOutReason: reason };
    });
  },
};

function retiredSlot(sessionId: string): SessionSlot {
  return {
    async load() {
      const session = (await readLocal('retiredSessions')).retiredSessions[sessionId];
      return session && hasCredentials(session.secrets) ? session : null;
    },
    async save(secrets, account) {
      await updateLocal(['retiredSessions'], ({ retiredSessions }) => {
        const session = retiredSessions[sessionId];
        if (session) retiredSessions[sessionId] = { ...session, secrets, account };
      });
    },
    async end() {
      // Kept without its credentials: its endpoint and account still decide who may send its stops.
      await updateLocal(['retiredSessions'], ({ retiredSessions }) => {
        const session = retiredSessions[sessionId];
        if (session)
          retiredSessions[sessionId] = { ...session, secrets: withoutCredentials(session.secrets) };
      });
    },
  };
}

const renewals = new Map<string, Promise<PasswordSecrets>>();

async function renew(
  slot: SessionSlot,
  session: RetiredSession & { secrets: PasswordSecrets },
  timeoutSec: number,
): Promise<PasswordSecrets> {
  const { secrets, account, endpoint } = session;
  const fail = async (reason: string): Promise<never> => {
    await slot.end(reason);
    throw signedOutError(reason);
  };
  if (!secrets.authhash) return fail(t('sessionExpired'));
  let result: LoginResult;
  try {
    result = await loginWithAuthhash(
      apiConfig({ endpoint, requestTimeoutSec: timeoutSec }, secrets.developerKey),
      account.email,
      secrets.authhash,
    );
  } catch (error) {
    if (error instanceof ApiError && !error.transient) {
      return fail(t('sessionNotRenewed', error.message));
    }
    throw error;
  }
  // A renewal reply without an authhash keeps the one we had; the session keeps its id.
  const renewed: PasswordSecrets = {
    ...secrets,
    token: result.token,
    authhash: result.authhash ?? secrets.authhash,
  };
  await slot.save(renewed, { ...account, email: result.email, tokenExpiresAt: result.expiresAt });
  return renewed;
}

/** One renewal per sign-in at a time, and none when another call already replaced the stale token. */
function renewOnce(slot: SessionSlot, stale: PasswordSecrets, timeoutSec: number): Promise<PasswordSecrets> {
  let running = renewals.get(stale.sessionId);
  if (!running) {
    running = (async () => {
      const session = await slot.load();
      // Another sign-in took this one's place meanwhile: its token must not be used for this one's calls.
      if (
        !session ||
        session.secrets.sessionId !== stale.sessionId ||
        session.secrets.method === 'access-key'
      )
        throw signedOutError(t('notSignedIn'));
      if (session.secrets.token && session.secrets.token !== stale.token) return session.secrets;
      return renew(slot, { ...session, secrets: session.secrets }, timeoutSec);
    })().finally(() => renewals.delete(stale.sessionId));
    renewals.set(stale.sessionId, running);
  }
  return running;
}

interface LoadedSignIn {
  slot: SessionSlot;
  session: RetiredSession;
  timing: Pick<Settings, 'endpoint' | 'requestTimeoutSec'>;
}

/** Reads a sign-in once; says why when there is none (or it is not the one expected). */
async function loadSignIn(slot: SessionSlot, expectedSessionId?: string): Promise<LoadedSignIn> {
  const [session, { settings }] = await Promise.all([slot.load(), readLocal('settings')]);
  if (!session || (expectedSessionId && session.secrets.sessionId !== expectedSessionId)) {
    const { account } = await readLocal('account');
    throw signedOutError(account?.signedOutReason ?? t('notSignedIn'));
  }
  return {
    slot,
    session,
    timing: { endpoint: session.endpoint, requestTimeoutSec: settings.requestTimeoutSec },
  };
}

/**
 * Runs a call against remote.it with a loaded sign-in. With a password sign-in, an expired token is renewed
 * first, and a token the API rejects is renewed and the call retried once; only when renewal fails is the
 * sign-in ended. An access key needs no renewal.
 */
async function runAs<T>(
  { slot, session, timing }: LoadedSignIn,
  call: (access: ApiAccess) => Promise<T>,
): Promise<T> {
  if (session.secrets.method === 'access-key')
    return call({ api: 'graphql', config: graphqlConfig(timing, session.secrets), onWarning: showWarning });
  const accessFor = (secrets: PasswordSecrets): ApiAccess => ({
    api: 'v27',
    config: apiConfig(timing, secrets.developerKey),
    token: secrets.token,
  });
  let current = session.secrets;
  const { tokenExpiresAt } = session.account;
  if (tokenExpiresAt !== null && tokenExpiresAt - RENEW_MARGIN_MS <= Date.now()) {
    current = await renewOnce(slot, current, timing.requestTimeoutSec);
  }
  try {
    return await call(accessFor(current));
  } catch (error) {
    if (!(error instanceof ApiError) || error.kind !== 'token') throw error;
    current = await renewOnce(slot, current, timing.requestTimeoutSec);
    return call(accessFor(current));
  }
}

async function withSlot<T>(
  slot: SessionSlot,
  call: (access: ApiAccess) => Promise<T>,
  expectedSessionId?: string,
): Promise<T> {
  return runAs(await loadSignIn(slot, expectedSessionId), call);
}

/** The person signed in now, read once: its id for the records a call makes, and a way to make calls. */
export interface CurrentSignIn {
  sessionId: string;
  /** The endpoint its calls go to and their time limit, as read with it. */
  settings: Pick<Settings, 'endpoint' | 'requestTimeoutSec'>;
  /** Its API can list the account's live connections (GraphQL), so a lost connect can be looked for. */
  listsConnections: boolean;
  run<T>(call: (access: ApiAccess) => Promise<T>): Promise<T>;
}

/** The current sign-in, read once (a connect reads storage once before its request); says why when there is none. */
export async function currentSignIn(): Promise<CurrentSignIn> {
  const loaded = await loadSignIn(currentSlot);
  const { secrets } = loaded.session;
  return {
    sessionId: secrets.sessionId,
    settings: loaded.timing,
    listsConnections: secrets.method === 'access-key',
    run: (call) => runAs(loaded, call),
  };
}

/** Runs an authenticated call as the person who is signed in now. */
export function withSession<T>(call: (access: ApiAccess) => Promise<T>): Promise<T> {
  return withSlot(currentSlot, call);
}

/**
 * Runs an authenticated call as the sign-in `sessionId`: the current one, or a retired one. A retired sign-in
 * whose credentials have ended hands its calls to the current one only when that is the same account at the
 * same endpoint; anything else waits, so a stop never goes to another server or account.
 */
export async function withSessionOf<T>(
  sessionId: string,
  call: (access: ApiAccess) => Promise<T>,
): Promise<T> {
  const { retiredSessions, secrets } = await readLocal('retiredSessions', 'secrets');
  const retired = retiredSessions[sessionId];
  if (secrets?.sessionId === sessionId || !retired) return withSlot(currentSlot, call, sessionId);
  if (hasCredentials(retired.secrets)) return withSlot(retiredSlot(sessionId), call, sessionId);
  const current = await currentSlot.load();
  if (current?.endpoint === retired.endpoint && current.account.email === retired.account.email)
    return withSlot(currentSlot, call);
  throw signedOutError(t('signInAgainToStop', retired.account.email, new URL(retired.endpoint).host));
}

/** The id of the current sign-in; null when signed out. */
export async function currentSessionId(): Promise<string | null> {
  return (await currentSlot.load())?.secrets.sessionId ?? null;
}
