import { haversineKm } from '../../../../src/domain/geo';
import { addOauthToken, type Rng } from '../generator';
import type { Org } from '../org';
import type { GeoPlace } from '../places';
import { attackerIp, cloudIp } from './addresses';
import type { Integration } from './integrations';
import type { Person } from './people';
import { ATTACKER_CITIES, CLOUD_REGIONS } from './places';
import type { LoginPlan, SessionPlan, Timeline } from './timeline';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time';

/**
 * Labelled attacks planted in the realistic org: the ground truth the benchmark scores against.
 * Each kind is planted at least once at 1,500 people and proportionally more in bigger orgs; each
 * label names the attack, its victim, the people it touched and the rows it planted.
 */

export const ATTACK_KINDS = [
  'password-stuffing',
  'session-kept-alive',
  'impossible-travel',
  'distant-places',
  'integration-session-age',
  'connected-app-token-age',
  'password-spraying',
  'new-app-token',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export interface PlantedToken {
  appName: string;
  createdAt: Date;
}

export interface AttackLabel {
  id: string;
  kind: AttackKind;
  /** The account the attacker got into (or holds). */
  victimUserId: string;
  /** Other accounts the attack touched without getting in (a spray's targets). */
  touchedUserIds: string[];
  /** When the attack's decisive event happened. */
  at: Date;
  /** Filled once the timeline wrote the rows (tag = id). */
  loginHistoryIds: string[];
  sessionIds: string[];
  tokens: PlantedToken[];
  summary: string;
}

export function attacksPerKind(people: number): number {
  return Math.max(1, Math.round(people / 1500));
}

export interface AttackContext {
  org: Org;
  timeline: Timeline;
  now: Date;
  r: Rng;
  /** Humans to pick victims from; picked ones are removed. */
  pool: Person[];
  integrations: Integration[];
  tokenMaxAgeDays: number;
}

const FAR_KM = 3000;
const SHADY_APPS = ['DataExport Pro', 'CloudBackup Sync', 'Lead Enricher 360', 'SheetLink Connector', 'Mass Mailer Plus'];

function takeVictim(ctx: AttackContext): Person {
  if (ctx.pool.length === 0) throw new Error('the realistic org is too small for its attacks');
  const i = ctx.r.int(ctx.pool.length);
  const [victim] = ctx.pool.splice(i, 1);
  return victim as Person;
}

function farFrom(ctx: AttackContext, home: GeoPlace): GeoPlace {
  const far = ATTACKER_CITIES.filter((c) => c.countryIso !== home.countryIso && haversineKm(c, home) > FAR_KM);
  return ctx.r.pick(far.length > 0 ? far : ATTACKER_CITIES);
}

const ago = (now: Date, ms: number): Date => new Date(now.getTime() - ms);

function ui(activeUntil: Date, valid = 7200): SessionPlan {
  return { kind: 'ui', children: ['Aura', 'Visualforce'], numSecondsValid: valid, activeUntil, touchMs: 2 * MINUTE_MS };
}

function human(p: Person, at: Date, ip: string, place: GeoPlace, tag: string, extra: Partial<LoginPlan> = {}): LoginPlan {
  return {
    at,
    userId: p.userId,
    status: 'Success',
    sourceIp: ip,
    place,
    loginType: p.sso ? 'SAML Idp Initiated SSO' : 'Application',
    application: 'Browser',
    browser: p.device.browser,
    platform: p.device.platform,
    tag,
    ...extra,
  };
}

/** The victim's own session, from their usual place, alive now and through the benchmark's day. */
function ownSession(ctx: AttackContext, p: Person, tag: string): void {
  const at = ago(ctx.now, ctx.r.between(40, 150) * MINUTE_MS);
  const ip = ctx.r.chance(0.5) ? p.homeIp : p.officeUplink;
  const place = ip === p.homeIp ? p.homeCity : p.office.city;
  ctx.timeline.add(human(p, at, ip, place, `${tag}:own`, { session: ui(new Date(ctx.now.getTime() + ctx.r.between(2, 6) * HOUR_MS), p.timeoutSeconds) }));
}

export function plantAttacks(ctx: AttackContext, perKind: number): AttackLabel[] {
  const labels: AttackLabel[] = [];
  let n = 0;
  const label = (kind: AttackKind, victim: string, at: Date, summary: string, touched: string[] = [], tokens: PlantedToken[] = []): AttackLabel => {
    const l: AttackLabel = {
      id: `A${String(++n).padStart(3, '0')}-${kind}`,
      kind,
      victimUserId: victim,
      touchedUserIds: touched,
      at,
      loginHistoryIds: [],
      sessionIds: [],
      tokens,
      summary,
    };
    labels.push(l);
    return l;
  };
  const { r, now, timeline } = ctx;
  const integrations = [...ctx.integrations];
  const takeIntegration = (): Integration => {
    const [i] = integrations.splice(r.int(integrations.length), 1);
    if (!i) throw new Error('the realistic org has too few integration users for its attacks');
    return i;
  };

  for (let k = 0; k < perKind; k++) {
    // Password stuffing: failures from abroad, then the attacker's live session beside the real one.
    {
      const p = takeVictim(ctx);
      const where = farFrom(ctx, p.homeCity);
      const ip = attackerIp(n * 7 + 1);
      const at = ago(now, r.between(60, 18 * 60) * MINUTE_MS);
      const failures = r.between(3, 9);
      const l = label('password-stuffing', p.userId, at, `${failures} wrong passwords from ${where.city}, then a success and a live session`);
      for (let i = failures; i > 0; i--)
        timeline.add(
          human(p, new Date(at.getTime() - i * r.between(4, 30) * SECOND_MS), ip, where, l.id, { status: 'Invalid Password', loginType: 'Application' }),
        );
      timeline.add(
        human(p, at, ip, where, l.id, {
          loginType: 'Application',
          browser: 'Firefox 133',
          platform: 'Windows 10',
          session: { ...ui(new Date(now.getTime() + 30 * HOUR_MS)), touchMs: 5 * MINUTE_MS },
        }),
      );
      ownSession(ctx, p, l.id);
    }
    // Cookie theft: the victim's own session, kept alive for days by someone else's use.
    {
      const p = takeVictim(ctx);
      const at = ago(now, r.between(3, 9) * DAY_MS + r.int(8 * HOUR_MS));
      const l = label('session-kept-alive', p.userId, at, 'a UI session used around the clock for days');
      timeline.add(
        human(p, at, p.homeIp, p.homeCity, l.id, { session: { ...ui(new Date(now.getTime() + 30 * HOUR_MS), p.timeoutSeconds), touchMs: 4 * MINUTE_MS } }),
      );
    }
    // Impossible travel: two successful logins far apart, minutes apart; the first session ended.
    {
      const p = takeVictim(ctx);
      const where = farFrom(ctx, p.homeCity);
      const first = ago(now, r.between(3, 14) * HOUR_MS);
      const second = new Date(first.getTime() + r.between(15, 70) * MINUTE_MS);
      const l = label(
        'impossible-travel',
        p.userId,
        second,
        `${p.homeCity.city} then ${where.city} ${Math.round((second.getTime() - first.getTime()) / MINUTE_MS)} min later`,
      );
      timeline.add(
        human(p, first, p.officeUplink, p.office.city, l.id, {
          session: { ...ui(new Date(first.getTime() + 10 * MINUTE_MS)), logoutAt: new Date(first.getTime() + 12 * MINUTE_MS) },
        }),
      );
      timeline.add(
        human(p, second, attackerIp(n * 7 + 2), where, l.id, {
          loginType: 'Application',
          browser: 'Chrome 131',
          platform: 'Windows 10',
          session: ui(new Date(now.getTime() + r.between(1, 20) * HOUR_MS)),
        }),
      );
    }
    // Distant places at once: the real session at home and the attacker's far away, both live.
    {
      const p = takeVictim(ctx);
      const where = farFrom(ctx, p.homeCity);
      const at = ago(now, r.between(10, 50) * MINUTE_MS);
      const l = label('distant-places', p.userId, at, `live sessions in ${p.homeCity.city} and ${where.city}`);
      ownSession(ctx, p, l.id);
      timeline.add(human(p, at, attackerIp(n * 7 + 3), where, l.id, { session: ui(new Date(now.getTime() + r.between(2, 30) * HOUR_MS)) }));
    }
    // An integration's session alive past the rotation policy.
    {
      const i = takeIntegration();
      const at = ago(now, (ctx.tokenMaxAgeDays + r.between(10, 60)) * DAY_MS);
      const l = label('integration-session-age', i.userId, at, `${i.app} session alive ${Math.round((now.getTime() - at.getTime()) / DAY_MS)} days`);
      const region = i.regions[0] ?? 'us-east-1';
      timeline.add({
        at,
        userId: i.userId,
        status: 'Success',
        sourceIp: cloudIp(0, 39),
        place: CLOUD_REGIONS[region],
        loginType: 'Remote Access 2.0',
        loginSubType: 'OauthRefreshToken',
        application: i.app,
        browser: 'Unknown',
        platform: 'Unknown',
        session: { kind: 'oauth', numSecondsValid: 7200, activeUntil: new Date(now.getTime() + 30 * HOUR_MS), touchMs: 5 * MINUTE_MS },
        tag: l.id,
      });
    }
    // A connected-app token past the rotation policy (an integration user's, still in use).
    {
      const i = takeIntegration();
      const createdAt = ago(now, (ctx.tokenMaxAgeDays + r.between(60, 400)) * DAY_MS);
      const appName = `${i.app} (legacy)`;
      label(
        'connected-app-token-age',
        i.userId,
        createdAt,
        `${appName} token granted ${Math.round((now.getTime() - createdAt.getTime()) / DAY_MS)} days ago, used today`,
        [],
        [{ appName, createdAt }],
      );
      addOauthToken(ctx.org, {
        userId: i.userId,
        appName,
        createdAt,
        lastUsedAt: ago(now, r.between(5, 300) * MINUTE_MS),
        useCount: r.between(10_000, 900_000),
        rng: r,
      });
    }
    // Password spraying: one address failing against 20–60 people within an hour; one gets in.
    {
      const ip = attackerIp(n * 7 + 4);
      const where = r.pick(ATTACKER_CITIES);
      const start = ago(now, r.between(2, 16) * HOUR_MS);
      const targets: Person[] = [];
      const count = r.between(20, 60);
      for (let t = 0; t < count; t++) targets.push(takeVictim(ctx));
      const victim = targets[r.int(targets.length)] as Person;
      const span = r.between(15, 55) * MINUTE_MS;
      const l = label(
        'password-spraying',
        victim.userId,
        start,
        `${count} accounts tried from ${ip} (${where.city}) in ${Math.round(span / MINUTE_MS)} min; one got in`,
        targets.filter((t) => t !== victim).map((t) => t.userId),
      );
      targets.forEach((t, j) => {
        const at = new Date(start.getTime() + Math.floor((span * j) / count) + r.int(20) * SECOND_MS);
        timeline.add(human(t, at, ip, where, l.id, { status: 'Invalid Password', loginType: 'Application', browser: 'Unknown', platform: 'Unknown' }));
        if (t === victim) {
          l.at = new Date(at.getTime() + r.between(20, 90) * SECOND_MS);
          timeline.add(
            human(t, l.at, ip, where, l.id, {
              loginType: 'Application',
              browser: 'Chrome 131',
              platform: 'Windows 10',
              session: ui(new Date(now.getTime() + r.between(1, 10) * HOUR_MS)),
            }),
          );
        }
      });
    }
    // A token granted to an app the user never used: consent from the user's browser, then refreshes from a data centre abroad.
    {
      const p = takeVictim(ctx);
      const appName = r.pick(SHADY_APPS);
      const at = ago(now, r.between(2, 20) * HOUR_MS);
      const l = label('new-app-token', p.userId, at, `${appName} granted, then used from a data centre`, [], [{ appName, createdAt: at }]);
      timeline.add(human(p, at, p.homeIp, p.homeCity, l.id, { loginType: 'Remote Access 2.0', loginSubType: 'OauthWebServer', application: appName }));
      const region = r.pick(['us-east-1', 'ap-southeast-1', 'eu-central-1'] as const);
      for (let t = at.getTime() + 10 * MINUTE_MS; t < now.getTime(); t += r.between(50, 70) * MINUTE_MS) {
        timeline.add({
          at: new Date(t),
          userId: p.userId,
          status: 'Success',
          sourceIp: cloudIp(3, r.int(40)),
          place: CLOUD_REGIONS[region],
          loginType: 'Remote Access 2.0',
          loginSubType: 'OauthRefreshToken',
          application: appName,
          browser: 'Unknown',
          platform: 'Unknown',
          session: { kind: 'oauth', numSecondsValid: 7200, activeUntil: new Date(t + 20 * MINUTE_MS), touchMs: MINUTE_MS },
          tag: l.id,
        });
      }
      addOauthToken(ctx.org, {
        userId: p.userId,
        appName,
        createdAt: at,
        lastUsedAt: ago(now, r.between(1, 50) * MINUTE_MS),
        useCount: r.between(20, 400),
        rng: r,
      });
    }
  }
  return labels;
}
