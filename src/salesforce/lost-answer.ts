import { retriedText, type Retried } from './change-retry';
import { SalesforceError } from './errors';

/**
 * Transport failures after which a request may already have reached Salesforce and taken effect:
 * our own timeout (the call goes on after we stop waiting), a connection reset or hang-up while
 * the answer was due, a broken pipe. ECONNREFUSED and ENOTFOUND are not here: nothing was sent.
 */
const LOST_IN_TRANSIT: ReadonlySet<string> = new Set(['TIMEOUT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** jsforce's code for an HTTP error whose body it could not read as a Salesforce error. */
const BODYLESS_SERVER_ERROR = /^ERROR_HTTP_5\d\d$/;

/**
 * True when the answer to a call that changes something was lost, so its outcome is unknown
 * until Salesforce is read back. A 5xx without a Salesforce error body (an empty answer, a
 * gateway's HTML page) says nothing about whether the change was made; a Salesforce error body
 * (4xx, or a 5xx such as SERVER_UNAVAILABLE) is Salesforce's own word that it was not.
 */
export function isLostAnswer(err: SalesforceError): boolean {
  if (LOST_IN_TRANSIT.has(err.errorCode)) return true;
  if (BODYLESS_SERVER_ERROR.test(err.errorCode)) return true;
  return /socket hang up/i.test(err.message);
}

/** Words for a lost answer, for step summaries ("Salesforce answered late (TIMEOUT)"). */
export function lostAnswerText(code: string): string {
  if (code === 'TIMEOUT') return 'Salesforce answered late (TIMEOUT)';
  const status = /^ERROR_HTTP_(5\d\d)$/.exec(code)?.[1];
  if (status) return `Salesforce answered ${status} without saying what happened`;
  if (code === 'ERROR_HTTP_429') return 'Salesforce answered 429 (too many requests)';
  // A busy answer with an error body: it does not prove the change was not made.
  if (code === 'SERVER_UNAVAILABLE') return 'Salesforce answered 503 SERVER_UNAVAILABLE';
  return `the connection dropped before Salesforce answered (${code})`;
}

/**
 * A change whose answer was lost and whose effect could not be read back: either the read-back
 * failed (`readBack` says why) or there is nothing to read (`readBack` null: a password reset).
 * Its `errorCode` is the lost answer's.
 */
export class OutcomeUnknownError extends SalesforceError {
  constructor(
    readonly lost: SalesforceError,
    readonly readBack: SalesforceError | null,
    readonly retried?: Retried,
  ) {
    super(
      lost.errorCode,
      readBack
        ? `${lostAnswerText(lost.errorCode)}${retried ? ` ${retriedText(retried)}` : ''}, and reading Salesforce back failed too (${readBack.errorCode})`
        : `${lostAnswerText(lost.errorCode)}; the change leaves nothing that can be read back`,
    );
    this.name = 'OutcomeUnknownError';
  }
}

/** A change whose answer was lost, and Salesforce read back shows it was not made. */
export class NotAppliedError extends SalesforceError {
  constructor(
    readonly lost: SalesforceError,
    readonly retried?: Retried,
  ) {
    super(lost.errorCode, `${lostAnswerText(lost.errorCode)}${retried ? ` ${retriedText(retried)}` : ''}; read back: not done`);
    this.name = 'NotAppliedError';
  }
}
