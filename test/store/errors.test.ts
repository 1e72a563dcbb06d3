import { findStoreError, isStoreError, StoreError, toStoreError } from '../../src/store/errors';

describe('StoreError', () => {
  it('is found on the error itself or anywhere down its cause chain, so callers that wrap it still see it', () => {
    const store = new StoreError('the database (SQLite /x.db) failed: disk I/O error', { kind: 'query-failed' });
    const wrapped = new Error('could not record the approval', { cause: new Error('step failed', { cause: store }) });
    expect(isStoreError(store)).toBe(true);
    expect(findStoreError(wrapped)).toBe(store);
    expect(isStoreError(new Error('Salesforce did not answer'))).toBe(false);
    expect(isStoreError('text')).toBe(false);
    expect(isStoreError(null)).toBe(false);
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isStoreError(a)).toBe(false);
  });

  it('tells "no server" from "the server answered with an error", and keeps the driver error as cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toStoreError(refused, 'PostgreSQL db:5432/w')).toMatchObject({
      kind: 'unavailable',
      message: 'the database (PostgreSQL db:5432/w) is unreachable: connect ECONNREFUSED 127.0.0.1:5432',
      cause: refused,
    });
    expect(toStoreError(new Error('Connection terminated unexpectedly'), 'PostgreSQL db:5432/w').kind).toBe('unavailable');
    const constraint = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(toStoreError(constraint, 'PostgreSQL db:5432/w')).toMatchObject({
      kind: 'query-failed',
      message: 'the database (PostgreSQL db:5432/w) failed: duplicate key value',
    });
    const already = new StoreError('x', { kind: 'timeout' });
    expect(toStoreError(already, 'anything')).toBe(already);
  });
});
