import { isBotOwnSession } from '../domain/families';
import { specOf } from '../domain/action-kinds';
import { placeLabel } from '../domain/geo';
import type { Session } from '../domain/types';
import { ApiMeter } from '../salesforce/metered-rest';
import type { SalesforceActions, SnapshotParts } from '../salesforce/actions';
import type { Origin } from './executor';
import type { Verdict, VerifierPort } from './ports';
import type { ActionRequest, ActionKind } from '../domain/requests';

export interface NewSession {
  id: string;
  sourceIp: string | null;
  place: string | null;
  createdAt: Date;
  /** Why it is reported: it comes from where a removed session came from, or the user is frozen. */
  why: 'same_ip' | 'same_place' | 'while_frozen';
}

export interface Verification extends Verdict {
  ok: boolean;
  /** Sessions that should be gone and are not (the bot's own excluded). */
  stillOpen: string[];
  /** Apps whose grants should be revoked and are still there. */
  grantsLeft: string[];
  frozen?: boolean;
  active?: boolean;
  /** Delayed re-check only: sessions created after execution that deserve an alert. */
  newSessions: NewSession[];
  apiCalls: number;
}

function partsFor(kind: ActionKind): SnapshotParts {
  return specOf(kind).checks;
}

interface StoredStep {
  detail?: { origins?: unknown };
}

function isOrigin(o: unknown): o is Origin {
  return typeof o === 'object' && o !== null && 'ip' in o && 'city' in o && 'country' in o;
}

const placeKey = (city: string | null | undefined, country: string | null | undefined): string | null =>
  city && country ? `${city.trim().toLowerCase()}|${country.trim().toLowerCase()}` : null;

/**
 * Where the removed sessions came from: from the executed steps' results, else from the
 * evidence captured at request time (IPs only).
 */
function removedOrigins(request: ActionRequest): { ips: Set<string>; places: Set<string> } {
  const ips = new Set<string>();
  const places = new Set<string>();
  const result = request.result as { steps?: unknown } | null;
  const steps = result && Array.isArray(result.steps) ? (result.steps as StoredStep[]) : [];
  for (const step of steps) {
    const origins = step?.detail?.origins;
    if (!Array.isArray(origins)) continue;
    for (const o of origins) {
      if (!isOrigin(o)) continue;
      if (o.ip) ips.add(o.ip);
      const key = placeKey(o.city, o.country);
      if (key) places.add(key);
    }
  }
  if (ips.size === 0 && places.size === 0) {
    const evidence = request.evidence as { snapshot?: unknown } | null;
    const snapshot = evidence && Array.isArray(evidence.snapshot) ? (evidence.snapshot as { id?: unknown; ip?: unknown }[]) : [];
    const chosen: Set<unknown> | null = request.kind === 'remove_session' ? new Set(request.params.sessionIds) : null;
    for (const s of snapshot) if (typeof s.ip === 'string' && (!chosen || chosen.has(s.id))) ips.add(s.ip);
  }
  return { ips, places };
}

/**
 * Checks in Salesforce (one Composite call) what a request should have changed. With
 * `executedAt` it is the delayed re-check, run after Salesforce's documented revocation lag: it
 * also reports sessions created since then from the same IP or place as the removed ones, or any
 * new session of a user who should be frozen.
 */
export class Verifier implements VerifierPort {
  constructor(private readonly deps: { actions: SalesforceActions }) {}

  async verify(request: ActionRequest, options: { executedAt?: Date } = {}): Promise<Verification> {
    const meter = new ApiMeter();
    const actions = this.deps.actions.metered(meter);
    const kind = request.kind;
    const snap = await actions.snapshot(request.target.userId, partsFor(kind));
    const botUserId = await actions.botUserId();
    const isOwn = (s: Session): boolean => isBotOwnSession(s, botUserId);
    const sessions = (snap.sessions ?? []).filter((s) => !isOwn(s));
    const executedAt = options.executedAt;
    const isNew = (s: Session): boolean => executedAt !== undefined && s.createdAt.getTime() > executedAt.getTime();

    let stillOpen: string[] = [];
    if (request.kind === 'remove_session') {
      const asked = new Set(request.params.sessionIds);
      stillOpen = sessions.filter((s) => asked.has(s.id)).map((s) => s.id);
    } else if (specOf(kind).endsSessions) {
      stillOpen = sessions.filter((s) => !isNew(s)).map((s) => s.id);
    }

    const problems: string[] = [];
    const alerts: string[] = [];
    const out: Verification = { ok: true, summary: '', alerts, detail: null, stillOpen, grantsLeft: [], newSessions: [], apiCalls: 0 };
    if (stillOpen.length > 0) problems.push(`${stillOpen.length} session${stillOpen.length === 1 ? ' is' : 's are'} still open`);

    if (specOf(kind).checks.grants) {
      if (snap.grants === null) problems.push('the connected-app grants could not be read (the bot needs Customize Application)');
      else {
        const named =
          request.kind === 'revoke_tokens' && request.params.appNames !== undefined && request.params.appNames.length > 0 ? request.params.appNames : null;
        const wanted = named ? new Set(named) : null;
        out.grantsLeft = [...new Set(snap.grants.filter((a) => !wanted || wanted.has(a)))];
        if (out.grantsLeft.length > 0) problems.push(`grants remain for ${out.grantsLeft.join(', ')}`);
      }
    }
    if (snap.isFrozen !== null) out.frozen = snap.isFrozen;
    if (kind === 'freeze' || kind === 'contain' || kind === 'unfreeze') {
      const expected = kind !== 'unfreeze';
      if (snap.isFrozen === null) problems.push('the freeze state could not be read');
      else if (snap.isFrozen !== expected) problems.push(expected ? 'the user is not frozen' : 'the user is still frozen');
    }
    if (kind === 'deactivate') {
      if (snap.isActive !== null) out.active = snap.isActive;
      if (snap.isActive !== false) problems.push('the user is still active');
    }

    if (executedAt) {
      const origins = removedOrigins(request);
      const shouldBeFrozen = kind === 'freeze' || kind === 'contain';
      for (const s of sessions.filter(isNew)) {
        const key = placeKey(s.place?.city, s.place?.country);
        const why: NewSession['why'] | null =
          s.sourceIp && origins.ips.has(s.sourceIp) ? 'same_ip' : key && origins.places.has(key) ? 'same_place' : shouldBeFrozen ? 'while_frozen' : null;
        if (!why) continue;
        const place = placeLabel(s.place);
        out.newSessions.push({ id: s.id, sourceIp: s.sourceIp, place, createdAt: s.createdAt, why });
        const from = [s.sourceIp, place].filter((x) => x).join(', ') || 'an unknown place';
        const reason =
          why === 'same_ip' ? 'the same IP as a removed session' : why === 'same_place' ? 'the same place as a removed session' : 'a user who should be frozen';
        alerts.push(`New session ${s.id} from ${from} at ${s.createdAt.toISOString()}, after the action: ${reason}.`);
      }
      if (out.newSessions.length > 0) problems.push(`${out.newSessions.length} new session${out.newSessions.length === 1 ? '' : 's'} since the action`);
      if (stillOpen.length > 0)
        alerts.push(
          `${stillOpen.length} session(s) that were ended are still listed by Salesforce ${kind === 'remove_session' ? '' : 'for this user '}after the re-check.`,
        );
    }

    out.ok = problems.length === 0;
    out.summary = out.ok
      ? kind === 'reset_password'
        ? 'Salesforce offers no way to read back a password reset; nothing else to check.'
        : 'Verified in Salesforce: the action took effect.'
      : `Not fully in effect: ${problems.join('; ')}.`;
    out.apiCalls = meter.rest;
    out.detail = {
      stillOpen: out.stillOpen,
      grantsLeft: out.grantsLeft,
      ...(out.frozen !== undefined ? { frozen: out.frozen } : {}),
      ...(out.active !== undefined ? { active: out.active } : {}),
      newSessions: out.newSessions.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
      sessionsLeft: sessions.length,
      apiCalls: out.apiCalls,
    };
    return out;
  }
}
