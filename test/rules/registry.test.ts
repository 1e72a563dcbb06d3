import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_POLICY } from '../../src/domain/types';
import { ALL_RULE_META, ORG_RULES, RULES, evaluateRules, rulesFor } from '../../src/rules/registry';
import type { OrgRule, Rule } from '../../src/rules/rule';
import { DAY, HOUR, MINUTE, NOW, PLACES, ago, grant, login, session } from '../support/rule-factories';
import { inputOf, type Scenario } from '../support/rule-table';

const SRC = join(__dirname, '../../src/rules');
const TESTS = __dirname;
const SOURCE_FILES = readdirSync(SRC).filter((file) => file.endsWith('.ts'));

/** A per-user or org-wide rule: both are a meta and an evaluate function. */
function isRule(value: unknown): value is Rule | OrgRule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Rule>;
  return typeof candidate.evaluate === 'function' && typeof candidate.meta?.id === 'string';
}

const EVERY_RULE: ReadonlyArray<Rule | OrgRule> = [...RULES, ...ORG_RULES];

/** Each source file with the rules it exports. */
async function rulesByFile(): Promise<Map<string, Array<Rule | OrgRule>>> {
  const found = new Map<string, Array<Rule | OrgRule>>();
  for (const file of SOURCE_FILES) {
    if (file === 'registry.ts') continue;
    const exported = Object.values((await import(join(SRC, file))) as Record<string, unknown>);
    const rules = exported.filter(isRule);
    if (rules.length > 0) found.set(file, rules);
  }
  return found;
}

describe('the rule registry', () => {
  it('lists the detections by their stable ids', () => {
    expect(RULES.map((rule) => rule.meta.id)).toEqual([
      'distant-places',
      'session-timeout',
      'token-age',
      'grant-age',
      'new-app-grant',
      'substitute-user',
      'failed-then-success',
      'impossible-travel',
      'new-country',
    ]);
    expect(ORG_RULES.map((rule) => rule.meta.id)).toEqual(['password-spraying']);
    expect(ALL_RULE_META.map((meta) => meta.id)).toEqual(EVERY_RULE.map((rule) => rule.meta.id));
  });

  it('has unique kebab-case ids', () => {
    const ids = EVERY_RULE.map((rule) => rule.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(EVERY_RULE.map((rule) => [rule.meta.id, rule] as const))('%s: every meta field is present and meaningful', (_id, rule) => {
    const { meta } = rule;
    for (const text of [meta.title, meta.severityNote, meta.runbook]) expect(text.trim().length).toBeGreaterThan(10);
    // One line: the runbook is shown under an alert.
    expect(meta.runbook).not.toContain('\n');
    expect(['high', 'medium', 'low']).toContain(meta.severity);
    expect(meta.subjects.length).toBeGreaterThan(0);
    for (const subject of meta.subjects) expect(['sessions', 'logins', 'grants']).toContain(subject);
    expect(new Set(meta.subjects).size).toBe(meta.subjects.length);
    expect(meta.surface.length).toBeGreaterThan(0);
    for (const surface of meta.surface) expect(['sessions', 'monitor']).toContain(surface);
    // `reads` may be empty (Login-As and new-country use no threshold), but names only Policy keys.
    expect(Array.isArray(meta.reads)).toBe(true);
    for (const key of meta.reads) expect(Object.keys(DEFAULT_POLICY)).toContain(key);
  });

  it('registers every rule defined in src/rules, and every rule file has a test file beside it', async () => {
    const byFile = await rulesByFile();
    const defined = [...byFile.values()].flat();
    expect(new Set(defined)).toEqual(new Set(EVERY_RULE));
    for (const file of byFile.keys()) {
      expect(`${file}: ${existsSync(join(TESTS, `${basename(file, '.ts')}.test.ts`))}`).toBe(`${file}: true`);
    }
  });

  it('keeps rules free of Slack and Salesforce code', () => {
    for (const file of SOURCE_FILES) {
      const imports = [...readFileSync(join(SRC, file), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
      const offending = imports.filter((spec) => /(^|\/)(slack|salesforce)(\/|$)|@slack\/|jsforce/.test(spec));
      expect(`${file}: ${offending.join(', ')}`).toBe(`${file}: `);
    }
  });

  it('shows the login-history detections only to the monitor, Login-As only in /sessions, everything else in both', () => {
    expect(rulesFor('sessions').map((rule) => rule.meta.id)).toEqual([
      'distant-places',
      'session-timeout',
      'token-age',
      'grant-age',
      'substitute-user',
      'failed-then-success',
    ]);
    // Login-As is routine for support: shown on the session, never an alert.
    expect(rulesFor('monitor').map((rule) => rule.meta.id)).toEqual([
      'distant-places',
      'session-timeout',
      'token-age',
      'grant-age',
      'new-app-grant',
      'failed-then-success',
      'impossible-travel',
      'new-country',
    ]);
    expect(ORG_RULES.every((rule) => rule.meta.surface.join() === 'monitor')).toBe(true);
  });

  it('asks the person first only for the rules whose medium findings they can explain', () => {
    expect(ALL_RULE_META.filter((meta) => meta.askFirst === true).map((meta) => meta.id)).toEqual([
      'distant-places',
      'session-timeout',
      'new-app-grant',
      'failed-then-success',
      'new-country',
    ]);
  });

  // The monitor's sweep re-runs only the rules marked changesWithTime: any other rule whose
  // findings moved with the clock alone would go stale between a user's new rows.
  const SCENARIO_OVER_TIME: Scenario = {
    sessions: [
      // Kept valid well past the dates judged, so only age changes.
      session({ place: PLACES.sanFrancisco, createdAt: ago(10 * HOUR), expiresAt: new Date(NOW.getTime() + 60 * DAY) }),
      session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE), expiresAt: new Date(NOW.getTime() + 60 * DAY) }),
      session({ sessionType: 'Oauth2', createdAt: ago(20 * DAY), expiresAt: new Date(NOW.getTime() + 60 * DAY) }),
      session({ sessionType: 'SubstituteUser', place: null, createdAt: ago(HOUR), expiresAt: new Date(NOW.getTime() + 60 * DAY) }),
    ],
    logins: [
      login({ status: 'Success', place: PLACES.sanFrancisco, loginTime: ago(DAY) }),
      ...[40, 35, 33].map((m, i) => login({ status: 'Invalid Password', place: PLACES.moscow, sourceIp: `198.51.100.${i + 1}`, loginTime: ago(m * MINUTE) })),
      login({ status: 'Success', place: PLACES.moscow, sourceIp: '198.51.100.9', loginTime: ago(30 * MINUTE) }),
    ],
    grants: [grant({ createdAt: ago(20 * DAY) }), grant({ appName: 'Shady Sync', createdAt: ago(2 * HOUR) })],
  };
  // Days later, the sessions still in use (last activity a minute before the clock): what the
  // monitor's full scan reads without any new row for the poll's CreatedDate watermark to see.
  const later = (days: number): Scenario => {
    const now = new Date(NOW.getTime() + days * DAY);
    const lastModifiedAt = new Date(now.getTime() - MINUTE);
    return { ...SCENARIO_OVER_TIME, now, sessions: SCENARIO_OVER_TIME.sessions?.map((s) => ({ ...s, lastModifiedAt })) ?? [] };
  };

  // A finding that only goes away with time (a new grant is news for a day) needs no sweep.
  it.each(RULES.filter((rule) => rule.meta.changesWithTime !== true).map((rule) => [rule.meta.id, rule] as const))(
    '%s (not marked changesWithTime) finds nothing new as the clock alone moves on',
    (_id, rule) => {
      const now = new Set(rule.evaluate(inputOf(SCENARIO_OVER_TIME)).map((f) => f.key));
      for (const days of [1, 3, 15]) {
        const then = rule.evaluate(inputOf(later(days))).map((f) => f.key);
        expect(then.filter((key) => !now.has(key))).toEqual([]);
      }
    },
  );

  it.each(RULES.filter((rule) => rule.meta.changesWithTime === true).map((rule) => [rule.meta.id, rule] as const))(
    '%s (marked changesWithTime) finds more as the clock alone moves on',
    (_id, rule) => {
      const now = rule.evaluate(inputOf(SCENARIO_OVER_TIME));
      const then = rule.evaluate(inputOf(later(15)));
      expect(then.length).toBeGreaterThan(now.length);
    },
  );

  it('evaluates every rule over one user, each finding keyed to that user', () => {
    const input = inputOf({
      sessions: [
        // Opened 20 h ago (past the working day), reused by the San Francisco login 3 h ago.
        session({
          place: PLACES.sanFrancisco,
          createdAt: ago(20 * HOUR),
          login: { loginTime: ago(3 * HOUR), browser: null, platform: null, application: null, loginType: null },
        }),
        session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE), sessionType: 'SubstituteUser' }),
        session({ sessionType: 'Oauth2', createdAt: ago(40 * DAY) }),
      ],
      // Moscow's addresses are a stranger's: the factories' default address is the person's own.
      logins: [
        login({ status: 'Success', place: PLACES.sanFrancisco, loginTime: ago(3 * HOUR) }),
        login({ status: 'Invalid Password', place: PLACES.moscow, sourceIp: '198.51.100.1', loginTime: ago(40 * MINUTE) }),
        login({ status: 'Invalid Password', place: PLACES.moscow, sourceIp: '198.51.100.2', loginTime: ago(35 * MINUTE) }),
        login({ status: 'Invalid Password', place: PLACES.moscow, sourceIp: '198.51.100.3', loginTime: ago(33 * MINUTE) }),
        login({ status: 'Success', place: PLACES.moscow, sourceIp: '198.51.100.9', loginTime: ago(30 * MINUTE) }),
      ],
      // An old token (grant-age) and an app authorised an hour ago, never used before (new-app-grant).
      grants: [grant({ createdAt: ago(90 * DAY) }), grant({ appName: 'Shady Sync', createdAt: ago(HOUR) })],
    });
    const findings = evaluateRules(input);
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(RULES.map((rule) => rule.meta.id)));
    for (const f of findings) {
      expect(f.userId).toBe(input.userId);
      expect(f.groupKey).toBe(`${f.rule}:${input.userId}`);
      expect(f.key.startsWith(`${f.groupKey}:`)).toBe(true);
      expect(f.key.length).toBeGreaterThan(f.groupKey.length + 1);
    }
    expect(new Set(findings.map((f) => f.key)).size).toBe(findings.length);
    expect(evaluateRules(input, [])).toEqual([]);
  });
});
