import { CHANGE_RETRY, HttpAnswerError, isServerBusy, parseRetryAfter, retriedText, retryDelay, withRetries } from '../../src/salesforce/change-retry';
import { SalesforceError } from '../../src/salesforce/errors';

const busy = (retryAfterMs: number | null = null): SalesforceError =>
  new HttpAnswerError(new SalesforceError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'), 503, retryAfterMs);

describe('which answers are retried', () => {
  it.each([
    ['503 with a SERVER_UNAVAILABLE body', busy(), true],
    ['429 without a body', new HttpAnswerError(new SalesforceError('ERROR_HTTP_429', ''), 429, null), true],
    ['SERVER_UNAVAILABLE whose status jsforce dropped', new SalesforceError('SERVER_UNAVAILABLE', 'down'), true],
    ['a bodyless 502 (a lost answer: read back, never blindly retried)', new SalesforceError('ERROR_HTTP_502', ''), true],
    ['400 INVALID_FIELD', new HttpAnswerError(new SalesforceError('INVALID_FIELD', 'no'), 400, null), false],
    ['403 REQUEST_LIMIT_EXCEEDED (the daily allowance)', new HttpAnswerError(new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'limit'), 403, null), false],
    ['TIMEOUT', new SalesforceError('TIMEOUT', 'late'), false],
  ])('%s → busy: %s', (_what, err, expected) => {
    expect(isServerBusy(err)).toBe(expected);
  });
});

describe('Retry-After and the backoff', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('waits what Salesforce asked for, up to the policy cap; beyond it the change is not retried', () => {
    expect(retryDelay(busy(1_000), 1, CHANGE_RETRY)).toBe(1_000);
    expect(retryDelay(busy(CHANGE_RETRY.maxRetryAfterMs + 1), 1, CHANGE_RETRY)).toBeNull();
    // Without Retry-After: the backoff, never longer than its maximum.
    expect([1, 2, 3].map((n) => retryDelay(busy(), n, CHANGE_RETRY, () => 0))).toEqual([500, 1_000, 2_000]);
    expect(retryDelay(busy(), 10, CHANGE_RETRY, () => 0)).toBe(CHANGE_RETRY.maxMs);
  });

  it('says how many retries and what answered', () => {
    expect(retriedText({ count: 2, status: 503, code: 'SERVER_UNAVAILABLE' })).toBe('after 2 retries (503 SERVER_UNAVAILABLE)');
    expect(retriedText({ count: 1, status: 429, code: 'ERROR_HTTP_429' })).toBe('after 1 retry (ERROR_HTTP_429)');
  });
});

describe('withRetries', () => {
  const policy = { ...CHANGE_RETRY, initialMs: 1, maxMs: 1 };
  const waits: number[] = [];
  const options = {
    policy,
    sleep: (ms: number): Promise<void> => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
  beforeEach(() => waits.splice(0));

  it('sends again while busy and reports the retries with the value', async () => {
    let calls = 0;
    const out = await withRetries(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(busy()) : Promise.resolve('done');
      },
      (e) => e as SalesforceError,
      options,
    );
    expect(out).toEqual({ ok: true, value: 'done', retried: { count: 2, status: 503, code: 'SERVER_UNAVAILABLE' } });
    expect(waits).toHaveLength(2);
  });

  it('stops after the policy retries and hands back the last error', async () => {
    let calls = 0;
    const out = await withRetries(
      () => {
        calls += 1;
        return Promise.reject(busy());
      },
      (e) => e as SalesforceError,
      options,
    );
    expect(calls).toBe(policy.retries + 1);
    expect(out).toMatchObject({ ok: false, error: { errorCode: 'SERVER_UNAVAILABLE' }, retried: { count: policy.retries } });
  });

  it('never repeats a refusal or a lost answer', async () => {
    for (const err of [new SalesforceError('INVALID_FIELD', 'no', 400), new SalesforceError('ERROR_HTTP_504', ''), new SalesforceError('TIMEOUT', 'late')]) {
      let calls = 0;
      const out = await withRetries(
        () => {
          calls += 1;
          return Promise.reject(err);
        },
        (e) => e as SalesforceError,
        options,
      );
      expect(calls).toBe(1);
      expect(out).toEqual({ ok: false, error: err });
    }
    expect(waits).toEqual([]);
  });
});
