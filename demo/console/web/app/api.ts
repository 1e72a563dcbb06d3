/**
 * The page's only door to the console server. Every call resolves (never rejects) with either the
 * result or the cause in words, so no failure can escape to the browser console.
 */
import { API_PATHS } from '../../protocol';
import type { ActionRequest, AttackerRequest, CloseRequest, CommandRequest, HomeRequest, Snapshot, SubmitRequest } from '../../protocol';
import { describeFailure, SERVER_SILENT } from './api-failure';
import type { Outcome } from './api-failure';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

async function send(path: string, init?: RequestInit): Promise<Outcome> {
  try {
    const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
    return { kind: 'http', status: response.status, body: await response.text() };
  } catch {
    return { kind: 'network-error' };
  }
}

async function post(path: string, body: unknown): Promise<Result<null>> {
  const error = describeFailure(await send(path, { method: 'POST', body: JSON.stringify(body) }));
  return error === null ? { ok: true, value: null } : { ok: false, error };
}

function isSnapshot(value: unknown): value is Snapshot {
  return (
    value !== null && typeof value === 'object' && 'version' in value && 'viewer' in value && 'conversations' in value && Array.isArray(value.conversations)
  );
}

/** The viewer's snapshot; without a viewer the server picks its default person. */
export async function fetchSnapshot(viewer: string | null): Promise<Result<Snapshot>> {
  const query = viewer === null ? '' : `?viewer=${encodeURIComponent(viewer)}`;
  const outcome = await send(`${API_PATHS.state}${query}`);
  if (outcome.kind === 'network-error') return { ok: false, error: SERVER_SILENT };
  if (outcome.status < 200 || outcome.status > 299)
    return { ok: false, error: describeFailure(outcome) ?? `The console server answered HTTP ${outcome.status}.` };
  try {
    const parsed: unknown = JSON.parse(outcome.body);
    if (isSnapshot(parsed)) return { ok: true, value: parsed };
  } catch {
    // Named below together with JSON that is not a snapshot.
  }
  return { ok: false, error: 'The console server sent a state this page does not understand.' };
}

export const api = {
  command: (request: CommandRequest) => post(API_PATHS.command, request),
  action: (request: ActionRequest) => post(API_PATHS.action, request),
  submit: (request: SubmitRequest) => post(API_PATHS.submit, request),
  close: (request: CloseRequest) => post(API_PATHS.close, request),
  home: (request: HomeRequest) => post(API_PATHS.home, request),
  attacker: (request: AttackerRequest) => post(API_PATHS.attacker, request),
};
