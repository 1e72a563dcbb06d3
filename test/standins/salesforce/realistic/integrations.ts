import { addOauthToken, addUser, PROFILE_INTEGRATION, type Rng } from '../generator';
import type { Org } from '../org';
import { cloudIp } from './addresses';
import { personRng } from './people';
import { CLOUD_REGIONS, type CloudRegion } from './places';
import type { LoginPlan, SessionPlan, Timeline } from './timeline';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

/**
 * Integration users (about 15 per 1,500 people): programs that run every few minutes from cloud
 * data centres — often two regions at once (us-east and eu-west), which is one user "in two places"
 * all day long. Some hold one session per region, kept alive by every run and replaced when the
 * job is redeployed (within the rotation policy, mostly); others log in afresh on every run.
 */

export interface Integration {
  userId: string;
  username: string;
  app: string;
  regions: readonly CloudRegion[];
  style: 'long-lived' | 'per-run';
  runEveryMinutes: number;
  /** Days between redeployments (a new session per region each time). */
  rotateDays: number;
}

const APPS = [
  'Acme Data Sync',
  'MuleSoft Composer',
  'Informatica Cloud',
  'Workato',
  'Boomi AtomSphere',
  'Fivetran',
  'Snowflake Connector',
  'Jira Sync',
  'Marketing Cloud Connect',
  'DocuSign Connect',
  'Zendesk Sync',
  'NetSuite Bridge',
  'HubSpot Sync',
  'Tableau CRM Sync',
  'Okta Provisioning',
];
const REGION_IDS = Object.keys(CLOUD_REGIONS) as CloudRegion[];

export function integrationCount(people: number): number {
  return Math.max(2, Math.round(people / 100));
}

export interface IntegrationWindow {
  seed: number;
  now: Date;
  from: Date;
  to: Date;
}

export function addIntegrations(org: Org, count: number, w: IntegrationWindow, timeline: Timeline): Integration[] {
  const out: Integration[] = [];
  for (let i = 0; i < count; i++) {
    const r = personRng(w.seed, i, 'integration');
    const app = APPS[i % APPS.length] as string;
    const username = `integration.${app.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${String(i + 1).padStart(3, '0')}@acme.com`;
    const { userId } = addUser(org, {
      username,
      name: `${app} Integration`,
      profile: PROFILE_INTEGRATION,
      email: 'integrations-team@acme.com',
      timeZone: 'GMT',
    });
    const twoRegions = r.chance(0.6);
    const regions: CloudRegion[] = twoRegions ? ['us-east-1', 'eu-west-1'] : [r.pick(REGION_IDS)];
    const integration: Integration = {
      userId,
      username,
      app,
      regions,
      style: r.chance(0.75) ? 'long-lived' : 'per-run',
      runEveryMinutes: r.between(2, 30),
      rotateDays: r.between(1, 26),
    };
    out.push(integration);
    planIntegration(integration, r, w, timeline);
    // The connected-app grant the integration refreshes with: issued at the last rotation of its credentials.
    addOauthToken(org, {
      userId,
      appName: app,
      createdAt: new Date(w.now.getTime() - r.between(1, 25) * DAY_MS),
      lastUsedAt: new Date(w.now.getTime() - r.between(1, 30) * MINUTE_MS),
      useCount: r.between(2_000, 400_000),
      rng: r,
    });
  }
  return out;
}

function loginPlan(i: Integration, at: Date, ip: string, region: CloudRegion, session: SessionPlan, subType: string): LoginPlan {
  return {
    at,
    userId: i.userId,
    status: 'Success',
    sourceIp: ip,
    place: CLOUD_REGIONS[region],
    loginType: 'Remote Access 2.0',
    loginSubType: subType,
    application: i.app,
    browser: 'Unknown',
    platform: 'Unknown',
    session,
  };
}

function planIntegration(i: Integration, r: Rng, w: IntegrationWindow, timeline: Timeline): void {
  const fromMs = w.from.getTime();
  const toMs = w.to.getTime();
  for (const [n, region] of i.regions.entries()) {
    const regionIndex = REGION_IDS.indexOf(region);
    const ips = [cloudIp(regionIndex, r.int(40)), cloudIp(regionIndex, r.int(40))];
    if (i.style === 'long-lived') {
      // Redeployments every rotateDays, offset per region; each opens the session the runs keep alive.
      const period = i.rotateDays * DAY_MS;
      let at = w.now.getTime() - r.int(period) - n * HOUR_MS;
      while (at - period > fromMs) at -= period;
      for (; at < toMs; at += period) {
        const next = at + period;
        const session: SessionPlan = {
          kind: 'oauth',
          numSecondsValid: 7200,
          activeUntil: new Date(next + 5 * MINUTE_MS),
          touchMs: i.runEveryMinutes * MINUTE_MS,
        };
        timeline.add(loginPlan(i, new Date(at), r.pick(ips), region, session, 'OauthClientCredentials'));
      }
    } else {
      const every = r.between(20, 60) * MINUTE_MS;
      for (let at = fromMs + r.int(every); at < toMs; at += every + r.between(-60, 60) * 1000) {
        const session: SessionPlan = { kind: 'oauth', numSecondsValid: 7200, activeUntil: new Date(at + r.between(1, 4) * MINUTE_MS), touchMs: MINUTE_MS };
        timeline.add(loginPlan(i, new Date(at), r.pick(ips), region, session, 'OauthClientCredentials'));
      }
    }
  }
}
