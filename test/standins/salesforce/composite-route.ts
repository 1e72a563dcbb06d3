import { HttpReply, sfError } from './http';

/** Limits from Salesforce's Composite resource docs. */
export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;

interface SubRequest {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: unknown;
}

export type Dispatch = (method: string, rest: string, params: URLSearchParams, headers: Record<string, string>, body: string) => HttpReply;

/**
 * `POST /composite`: up to 25 subrequests executed in order, counted by Salesforce as ONE API
 * call; the outer answer is 200 even when subrequests fail (each carries its own status).
 * Only allOrNone=false is modelled, which is what the bot sends.
 */
export function compositeRoute(body: string, version: string, dispatch: Dispatch): HttpReply {
  let parsed: { allOrNone?: unknown; compositeRequest?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return sfError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body');
  }
  const subs = parsed.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0) return sfError(400, 'INVALID_FIELD', 'compositeRequest is required and must not be empty');
  if (subs.length > MAX_SUBREQUESTS) return sfError(400, 'LIMIT_EXCEEDED', `Limit exceeded: at most ${MAX_SUBREQUESTS} subrequests`);
  if (parsed.allOrNone === true) return sfError(400, 'INVALID_FIELD', 'the stand-in models allOrNone=false only');
  const heavy = (subs as SubRequest[]).filter((s) => typeof s.url === 'string' && /\/(query|queryAll|composite\/sobjects)(\?|\/|$)/.test(s.url)).length;
  if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
    return sfError(400, 'LIMIT_EXCEEDED', `Limit exceeded: at most ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} query or collection subrequests`);
  }
  const seen = new Set<string>();
  const answered = new Map<string, unknown>();
  const compositeResponse = (subs as SubRequest[]).map((sub) => {
    const referenceId = typeof sub.referenceId === 'string' ? sub.referenceId : '';
    const fail = (r: HttpReply) => ({ body: r.body, httpHeaders: {}, httpStatusCode: r.status, referenceId });
    if (!/^[A-Za-z0-9_]+$/.test(referenceId) || seen.has(referenceId)) {
      return fail(sfError(400, 'INVALID_FIELD', `referenceId must be unique and alphanumeric: ${referenceId}`));
    }
    seen.add(referenceId);
    if (typeof sub.method !== 'string' || typeof sub.url !== 'string') return fail(sfError(400, 'INVALID_FIELD', 'method and url are required'));
    const resolved = resolveReferences(sub.url, answered);
    if (typeof resolved !== 'string') return fail(resolved);
    const url = new URL(resolved, 'http://composite');
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(url.pathname);
    if (!m || m[1] !== version) return fail(sfError(400, 'INVALID_FIELD', 'subrequest url must be under /services/data/ of the same version'));
    const headers: Record<string, string> = {};
    if (sub.httpHeaders && typeof sub.httpHeaders === 'object') {
      for (const [k, v] of Object.entries(sub.httpHeaders)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    const reply = dispatch(sub.method.toUpperCase(), m[2] ?? '/', url.searchParams, headers, sub.body === undefined ? '' : JSON.stringify(sub.body));
    // Only a successful answer can be referenced by later subrequests.
    if (reply.status >= 200 && reply.status < 300) answered.set(referenceId, reply.body);
    return { body: reply.body ?? null, httpHeaders: reply.headers, httpStatusCode: reply.status, referenceId };
  });
  return new HttpReply(200, { compositeResponse });
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/**
 * Replaces `@{refId.records[0].Id}`-style references with values from earlier answers, as the
 * Composite resource does. A reference that resolves to nothing (the query found no rows, the
 * field is absent, or the referenced subrequest failed) fails this subrequest with the documented
 * `PROCESSING_HALTED` "Invalid reference specified. No value for … found in …" (REST API Developer
 * Guide, Composite). References are only recognised as written, not URL-encoded.
 */
export function resolveReferences(text: string, answered: ReadonlyMap<string, unknown>): string | HttpReply {
  let failure: HttpReply | undefined;
  const out = text.replace(REFERENCE, (whole: string, name: string, path: string) => {
    let current: unknown = answered.get(name);
    for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
      if (current === null || typeof current !== 'object') {
        current = undefined;
        break;
      }
      const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
      current = (current as Record<string | number, unknown>)[key];
    }
    if (typeof current !== 'string' && typeof current !== 'number' && typeof current !== 'boolean') {
      failure ??= sfError(400, 'PROCESSING_HALTED', `Invalid reference specified. No value for ${name}${path} found in ${name}.`);
      return whole;
    }
    return String(current);
  });
  return failure ?? out;
}
