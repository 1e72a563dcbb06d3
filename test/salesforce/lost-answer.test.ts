import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from 'jsforce';
import { SalesforceActions } from '../../src/salesforce/actions';
import { SalesforceError } from '../../src/salesforce/errors';
import { isLostAnswer, lostAnswerText, OutcomeUnknownError } from '../../src/salesforce/lost-answer';
import { SalesforceRest } from '../../src/salesforce/rest';

/**
 * What real jsforce throws for answers the Salesforce stand-in never gives — a 5xx with no body,
 * a gateway's HTML page — from a bare loopback server answering exactly that.
 */
type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const USER_ID = '005000000000001AAA';
const SESSION_ID = '0Ak000000000001AAA';
let server: Server | undefined;
const seen: string[] = [];

async function serve(replies: Record<string, Reply>): Promise<SalesforceActions> {
  seen.length = 0;
  server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/services\/data\/v[\d.]+/, '')}`;
    seen.push(key);
    req.resume();
    req.on('end', () => (replies[key] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const conn = new Connection({ instanceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, accessToken: 'token', version: '62.0' });
  return new SalesforceActions(new SalesforceRest(conn, { apiVersion: '62.0', batchSize: 2000, timeoutMs: 5000 }), { botUserId: '005000000000009AAA' });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const empty =
  (status: number): Reply =>
  (_req, res) =>
    res.writeHead(status).end();
const json =
  (status: number, body: unknown): Reply =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('isLostAnswer', () => {
  it('separates lost answers from Salesforce refusals', () => {
    for (const code of ['TIMEOUT', 'ECONNRESET', 'EPIPE', 'ERROR_HTTP_500', 'ERROR_HTTP_502', 'ERROR_HTTP_504'])
      expect(isLostAnswer(new SalesforceError(code, ''))).toBe(true);
    expect(isLostAnswer(new SalesforceError('UNKNOWN', 'request to http://x failed, reason: socket hang up'))).toBe(true);
    for (const code of ['SERVER_UNAVAILABLE', 'ECONNREFUSED', 'ENOTFOUND', 'ERROR_HTTP_404', 'INVALID_FIELD', 'invalid_token'])
      expect(isLostAnswer(new SalesforceError(code, 'no'))).toBe(false);
    expect(lostAnswerText('ERROR_HTTP_502')).toBe('Salesforce answered 502 without saying what happened');
  });
});

describe('over real jsforce', () => {
  it('a bodyless 502 on a password reset is an unknown outcome, sent once', async () => {
    const actions = await serve({ [`DELETE /sobjects/User/${USER_ID}/password`]: empty(502) });
    const err = await actions.resetPassword(USER_ID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err).toMatchObject({ errorCode: 'ERROR_HTTP_502', readBack: null });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(seen).toEqual([`DELETE /sobjects/User/${USER_ID}/password`]);
  });

  it('a 503 with a Salesforce error body stays a refusal', async () => {
    const actions = await serve({ [`DELETE /sobjects/User/${USER_ID}/password`]: json(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]) });
    const err = await actions.resetPassword(USER_ID).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(OutcomeUnknownError);
    expect(err).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
  });

  it('a gateway page (HTML 504) on a session delete is settled by reading back: gone → ended', async () => {
    const actions = await serve({
      'DELETE /composite/sobjects': (_req, res) => res.writeHead(504, { 'content-type': 'text/html' }).end('<html>Gateway Timeout</html>'),
      'GET /query': json(200, { totalSize: 0, done: true, records: [] }),
    });
    expect(await actions.removeSessions([SESSION_ID], () => false)).toEqual([{ id: SESSION_ID, result: 'ended', lostAnswer: 'ERROR_HTTP_504' }]);
    expect(seen).toEqual(['DELETE /composite/sobjects', 'GET /query']);
  });

  it('a refused connection sent nothing: a plain failure, no read-back', async () => {
    const actions = await serve({});
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(actions.deactivate(USER_ID)).rejects.toMatchObject({ errorCode: 'ECONNREFUSED' });
  });
});
