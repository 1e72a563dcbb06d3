import type { PhaseScore, Truth } from './score';
import { targets } from './score';

/** How bench:detection prints one size: the org, per-rule figures per phase, costs, then the targets. */

export interface PhaseFigures {
  score: PhaseScore;
  messages: Record<string, number>;
  /** API calls the Salesforce stand-in counted during the phase (every bot call, not only the monitor's). */
  calls: number;
  /** The monitor's own count (PollReport.calls). */
  monitorCalls: number;
  cpuMs: number;
  /** The stand-ins' process (org activity, Salesforce and Slack answering): not the bot's, shown to explain the wall time. */
  standInsCpuMs: number;
  peakRssMb: number;
  wallMs: number;
  polls: number;
}

export interface SizeFigures {
  people: number;
  org: { people: number; integrations: number; users: number; logins: number; sessions: number; tokens: number; trips: number; buildMs: number };
  truth: Truth;
  first: PhaseFigures;
  day: PhaseFigures;
  pollMinutes: number;
  trustedVpn: boolean;
  seconds: number;
}

const n = (x: number): string => x.toLocaleString('en-US');
const pad = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function phase(label: string, f: PhaseFigures, attacksLine: 'found' | 'named again'): string[] {
  const s = f.score;
  const lines = [
    `  ${label}: ${n(s.alerts)} alerts${s.released ? ` (${n(s.released)} released after an unanswered "was this you?"; nobody answers in this bench)` : ''} in ${n(s.messages)} channel messages (${
      Object.entries(f.messages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }); ordinary people named ${n(s.ordinaryNamed)}, attacked people named ${n(s.attackedNamed)}; ` +
      `asked "was this you?": ordinary ${n(s.askedOrdinary)}, attacked ${n(s.askedAttacked)}` +
      (s.summaryNamed ? `; a summary notice lists ${n(s.summaryNamed)} people by name (not alerts; names repeat, so not matched to accounts)` : ''),
    `    ${pad('rule', 24)} ${lpad('alerts', 7)} ${lpad('ordinary named', 15)} ${lpad('attacked named', 15)} ${lpad('asked', 6)}`,
    ...s.perRule.map(
      (r) => `    ${pad(r.rule, 24)} ${lpad(n(r.alerts), 7)} ${lpad(n(r.ordinaryNamed), 15)} ${lpad(n(r.attackedNamed), 15)} ${lpad(n(r.asked), 6)}`,
    ),
    attacksLine === 'found'
      ? `    attacks found ${s.found.length} of ${s.found.length + s.missed.length}${s.missed.length ? `; missed: ${s.missed.join(', ')}` : ''}`
      : // The attacks were planted before the day: here it only shows which came up again (a session still alive, say).
        `    attacks named again: ${s.found.length} of ${s.found.length + s.missed.length}${s.found.length ? ` (${s.found.join(', ')})` : ''}`,
    ...(process.env.BENCH_LIST_ORDINARY === '1'
      ? s.ordinaryAlerts.map((a) => `      ordinary: ${a.rule} via ${a.via} ${a.userId}: ${a.text.slice(0, 1200)}`)
      : []),
    `    cost: ${n(f.polls)} poll(s), Salesforce API calls ${n(f.calls)} (monitor's count ${n(f.monitorCalls)}), bot CPU ${(f.cpuMs / 1000).toFixed(1)} s, ` +
      `bot peak RSS ${f.peakRssMb.toFixed(0)} MB, wall ${(f.wallMs / 1000).toFixed(1)} s (stand-ins' own process: CPU ${(f.standInsCpuMs / 1000).toFixed(1)} s)`,
  ];
  return lines;
}

export function printSize(f: SizeFigures): void {
  const o = f.org;
  const kinds = new Map<string, number>();
  for (const a of f.truth.attacks) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  console.log(
    `\n== ${n(f.people)} people: ${n(o.integrations)} integration users, ${n(o.trips)} business trips, ${n(o.logins)} LoginHistory rows, ${n(o.sessions)} live sessions, ` +
      `${n(o.tokens)} OauthToken rows (org built in ${(o.buildMs / 1000).toFixed(1)} s in the stand-ins' process)`,
  );
  console.log(
    `  planted: ${f.truth.attacks.length} attacks (${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); ordinary users ${n(f.truth.ordinaryCount)}`,
  );
  for (const line of phase('first pass', f.first, 'found')) console.log(line);
  for (const line of phase(`ordinary day (polls every ${f.pollMinutes} min)`, f.day, 'named again')) console.log(line);
  console.log('  targets:');
  for (const t of targets(f.first.score, f.day.score, f.truth))
    console.log(`    ${t.pass ? 'PASS' : 'FAIL'}  ${pad(t.what, 48)} ${pad(t.value, 12)} target ${t.limit}`);
  console.log(`  (${n(f.people)} people took ${f.seconds.toFixed(0)} s)`);
}
