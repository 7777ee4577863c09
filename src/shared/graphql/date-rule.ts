/**
 * Sends a signed GraphQL request from the extension. fetch() silently drops a `Date` header, yet the signature
 * covers it, so a declarativeNetRequest session rule sets it on the extension's own requests to that URL. A
 * rule holds one value: requests are sent one at a time, under a lock every extension context shares, each
 * after its rule is in place and until its reply has started.
 */
import browser from '../browser';
import { sendWithFetch, type SendSigned, type SignedRequest } from './transport';

const DATE_RULE_ID = 1;
const SIGNED_REQUEST_LOCK = 'remoteit-signed-request';

async function setDateRule(request: SignedRequest): Promise<void> {
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [DATE_RULE_ID],
    addRules: [
      {
        id: DATE_RULE_ID,
        priority: 1,
        action: {
          type: 'modifyHeaders',
          requestHeaders: [{ header: 'date', operation: 'set', value: request.headers.date! }],
        },
        condition: {
          urlFilter: `|${request.url}|`,
          // Only the extension's own requests: no page the person visits is touched.
          initiatorDomains: [new URL(browser.runtime.getURL('/')).hostname],
        },
      },
    ],
  });
}

const sendWithDateRule: SendSigned = async (request) => {
  let response: Response | undefined;
  await navigator.locks.request(SIGNED_REQUEST_LOCK, async () => {
    await setDateRule(request);
    response = await sendWithFetch(request);
  });
  return response!;
};

/** In the extension, through the rule; elsewhere (Node tests) fetch keeps the Date header as given. */
export const sendSigned: SendSigned = /^(chrome|moz)-extension:$/.test(globalThis.location?.protocol ?? '')
  ? sendWithDateRule
  : sendWithFetch;
