import type { AttackKind } from '../../test/standins/salesforce/realistic';
import { ATTACK_RULES } from './attack-rules';

/**
 * Counting what the security channel and the colleagues were asked to look at, against the
 * realistic org's ground truth. Pure: the benchmark reads the rows out of the bot's database and
 * hands them here; the tests hand it made-up rows.
 */

/** One alert the channel was asked to look at: its own message, or one entry of a digest. */
export interface ChannelAlert {
  alertKey: string;
  rule: string;
  /** The alert's user, then any other Salesforce user the finding names (e.g. a spray's accounts). */
  namedUserIds: readonly string[];
  /** released: a held alert (asked first) that reached the channel because its person said no or did not answer. */
  via: 'post' | 'digest' | 'released' | 'other';
  /** The alert's key and stored finding, as text: what ties it to a planted attack's rows. */
  text: string;
  /** The rules of the other findings merged into this alert (one alert per incident): they name its people too. */
  signalRules?: readonly string[];
}

export interface AskRecord {
  alertKey: string;
  rule: string;
  userId: string;
  /** 'unreachable' asks send no DM: nobody was asked. */
  state: string;
  /** The asked alert's key and finding, as text. */
  text: string;
  signalRules?: readonly string[];
}

export interface PhaseRows {
  alerts: readonly ChannelAlert[];
  /** Every message queued for the security channel, by outbox kind (a digest is one message). */
  messages: Readonly<Record<string, number>>;
  asks: readonly AskRecord[];
  /**
   * People a summary notice names by display name ("• *Ada Chen* — …"): counted apart, since display
   * names repeat in a big org and cannot be matched to one account.
   */
  summaryLines?: readonly string[];
}

export interface TruthAttack {
  id: string;
  kind: AttackKind;
  victimUserId: string;
  touchedUserIds: readonly string[];
  /**
   * What only this attack's findings mention: its planted LoginHistory and session ids, the
   * address it came from, the app of a planted grant. An alert about the victim that names none of
   * them is about something else the victim did (a typo last week), not a find.
   */
  markers: readonly string[];
}

export interface Truth {
  people: number;
  /** Everyone who is not part of any attack: humans and integrations alike. */
  ordinaryCount: number;
  attacks: readonly TruthAttack[];
}

export interface RuleFigures {
  rule: string;
  alerts: number;
  ordinaryNamed: number;
  attackedNamed: number;
  asked: number;
}

export interface PhaseScore {
  alerts: number;
  /** Of those, held alerts released to the channel because their person said no or did not answer. */
  released: number;
  /** People named (by display name) in summary notices, which are not alerts. */
  summaryNamed: number;
  messages: number;
  ordinaryNamed: number;
  attackedNamed: number;
  askedOrdinary: number;
  askedAttacked: number;
  found: string[];
  missed: string[];
  perRule: RuleFigures[];
  /** Each channel alert that named an ordinary person: what tuning reads (BENCH_LIST_ORDINARY=1 prints them). */
  ordinaryAlerts: Array<{ rule: string; via: ChannelAlert['via']; userId: string; text: string }>;
}

export function scorePhase(rows: PhaseRows, truth: Truth, fits: Readonly<Record<AttackKind, readonly string[]>> = ATTACK_RULES): PhaseScore {
  const attacked = new Set<string>();
  for (const a of truth.attacks) {
    attacked.add(a.victimUserId);
    for (const id of a.touchedUserIds) attacked.add(id);
  }
  const rules = new Map<string, { alerts: number; ordinary: Set<string>; attacked: Set<string>; asked: Set<string> }>();
  const ruleOf = (rule: string) => {
    let r = rules.get(rule);
    if (!r) rules.set(rule, (r = { alerts: 0, ordinary: new Set(), attacked: new Set(), asked: new Set() }));
    return r;
  };
  const ordinary = new Set<string>();
  const ordinaryAlerts: PhaseScore['ordinaryAlerts'] = [];
  const attackedNamed = new Set<string>();
  // Everything the channel or an ask named, by rule: what "found" is judged on.
  const namedBy = new Map<string, { user: string; text: string }[]>();
  const name = (rule: string, user: string, text: string) => namedBy.set(rule, [...(namedBy.get(rule) ?? []), { user, text }]);
  for (const alert of rows.alerts) {
    const r = ruleOf(alert.rule);
    r.alerts++;
    for (const user of new Set(alert.namedUserIds)) {
      name(alert.rule, user, alert.text);
      for (const rule of alert.signalRules ?? []) name(rule, user, alert.text);
      if (attacked.has(user)) {
        attackedNamed.add(user);
        r.attacked.add(user);
      } else {
        ordinary.add(user);
        r.ordinary.add(user);
        ordinaryAlerts.push({ rule: alert.rule, via: alert.via, userId: user, text: alert.text });
      }
    }
  }
  const askedOrdinary = new Set<string>();
  const askedAttacked = new Set<string>();
  for (const ask of rows.asks) {
    if (ask.state === 'unreachable') continue;
    name(ask.rule, ask.userId, ask.text);
    for (const rule of ask.signalRules ?? []) name(rule, ask.userId, ask.text);
    ruleOf(ask.rule).asked.add(ask.userId);
    (attacked.has(ask.userId) ? askedAttacked : askedOrdinary).add(ask.userId);
  }
  const found: string[] = [];
  const missed: string[] = [];
  for (const a of truth.attacks) {
    const hit = fits[a.kind].some((rule) => (namedBy.get(rule) ?? []).some((n) => n.user === a.victimUserId && a.markers.some((m) => n.text.includes(m))));
    (hit ? found : missed).push(a.id);
  }
  return {
    alerts: rows.alerts.length,
    released: rows.alerts.filter((a) => a.via === 'released').length,
    summaryNamed: rows.summaryLines?.length ?? 0,
    messages: Object.values(rows.messages).reduce((s, n) => s + n, 0),
    ordinaryNamed: ordinary.size,
    attackedNamed: attackedNamed.size,
    askedOrdinary: askedOrdinary.size,
    askedAttacked: askedAttacked.size,
    found,
    missed,
    perRule: [...rules.entries()]
      .map(([rule, r]) => ({ rule, alerts: r.alerts, ordinaryNamed: r.ordinary.size, attackedNamed: r.attacked.size, asked: r.asked.size }))
      .sort((a, b) => b.alerts - a.alerts || (a.rule < b.rule ? -1 : 1)),
    ordinaryAlerts,
  };
}

export interface Target {
  what: string;
  limit: string;
  value: string;
  pass: boolean;
}

/** Issue 17's targets for the first pass and the ordinary day that follows it. */
export function targets(first: PhaseScore, day: PhaseScore | null, truth: Truth): Target[] {
  const maxOrdinaryFirst = Math.floor(truth.people / 300);
  const maxAlerts = Math.floor((30 * truth.people) / 1500);
  const maxAsked = Math.floor(0.03 * truth.ordinaryCount);
  const out: Target[] = [
    {
      what: 'first pass: every planted attack named',
      limit: `${truth.attacks.length} of ${truth.attacks.length}`,
      value: `${first.found.length} of ${truth.attacks.length}`,
      pass: first.missed.length === 0,
    },
    {
      what: 'first pass: ordinary people named',
      limit: `≤ ${maxOrdinaryFirst} (1 per 300 people)`,
      value: String(first.ordinaryNamed),
      pass: first.ordinaryNamed <= maxOrdinaryFirst,
    },
    { what: 'first pass: alerts to the channel', limit: `≤ ${maxAlerts} (30 per 1,500 people)`, value: String(first.alerts), pass: first.alerts <= maxAlerts },
    {
      what: 'first pass: ordinary colleagues asked',
      limit: `≤ ${maxAsked} (3% of ${truth.ordinaryCount})`,
      value: String(first.askedOrdinary),
      pass: first.askedOrdinary <= maxAsked,
    },
  ];
  if (day) {
    const maxOrdinaryDay = Math.floor(truth.people / 1000);
    out.push({
      what: 'ordinary day: ordinary people named',
      limit: `≤ ${maxOrdinaryDay} (1 per 1,000 people)`,
      value: String(day.ordinaryNamed),
      pass: day.ordinaryNamed <= maxOrdinaryDay,
    });
    out.push({
      what: 'ordinary day: ordinary colleagues asked (3%)',
      limit: `≤ ${maxAsked}`,
      value: String(day.askedOrdinary),
      pass: day.askedOrdinary <= maxAsked,
    });
  }
  return out;
}
