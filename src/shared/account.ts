/** What a page needs to know about the sign-in without the API clients that make one (see auth.ts). */
import type { Account } from './storage/schema';

/** The account record is written and removed together with the secrets, so it alone tells. */
export function isSignedIn(account: Account | undefined): boolean {
  return !!account && !account.signedOutReason;
}
