import { addOauthToken } from '../generator';
import type { Org } from '../org';
import type { Person } from './people';
import { personRng } from './people';
import type { LoginPlan, Timeline } from './timeline';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

/**
 * People's connected-app grants (OauthToken rows): the phone app's, months old and refreshed
 * whenever the app opens; Outlook and Slack integrations for many; admins' tools. A few people
 * legitimately grant a well-known app for the first time during the window, from their own desk.
 */
export function addPeopleGrants(org: Org, people: readonly Person[], seed: number, now: Date, timeline: Timeline): void {
  for (const p of people) {
    const r = personRng(seed, p.index, 'grants');
    const recent = (maxMinutes: number): Date => new Date(now.getTime() - r.between(1, maxMinutes) * MINUTE_MS);
    if (p.phone)
      addOauthToken(org, {
        userId: p.userId,
        appName: p.phone.app,
        createdAt: p.phone.grantedAt,
        lastUsedAt: recent(3 * 24 * 60),
        useCount: r.between(50, 9_000),
        rng: r,
      });
    if (r.chance(0.2))
      addOauthToken(org, {
        userId: p.userId,
        appName: 'Salesforce for Outlook',
        createdAt: new Date(now.getTime() - r.between(40, 900) * DAY_MS),
        lastUsedAt: recent(600),
        useCount: r.between(100, 40_000),
        rng: r,
      });
    if (r.chance(0.3))
      addOauthToken(org, {
        userId: p.userId,
        appName: 'Slack',
        createdAt: new Date(now.getTime() - r.between(30, 700) * DAY_MS),
        lastUsedAt: recent(5 * 24 * 60),
        useCount: r.between(10, 5_000),
        rng: r,
      });
    if (p.admin) {
      for (const app of ['Salesforce CLI', 'Data Loader', 'Workbench']) {
        if (r.chance(0.6))
          addOauthToken(org, {
            userId: p.userId,
            appName: app,
            createdAt: new Date(now.getTime() - r.between(5, 500) * DAY_MS),
            lastUsedAt: recent(20 * 24 * 60),
            useCount: r.between(5, 3_000),
            rng: r,
          });
      }
    }
    // A first-time grant to a common app, consented from the usual desk.
    if (r.chance(0.006)) {
      const app = r.pick(['Salesforce for Outlook', 'Slack', 'Salesforce Maps', 'DocuSign']);
      const at = new Date(now.getTime() - r.between(1, 20 * 24) * HOUR_MS);
      const consent: LoginPlan = {
        at,
        userId: p.userId,
        status: 'Success',
        sourceIp: p.homeIp,
        place: p.homeCity,
        loginType: 'Remote Access 2.0',
        loginSubType: 'OauthWebServer',
        application: app,
        browser: p.device.browser,
        platform: p.device.platform,
      };
      timeline.add(consent);
      addOauthToken(org, { userId: p.userId, appName: app, createdAt: at, lastUsedAt: recent(600), useCount: r.between(1, 200), rng: r });
    }
  }
}
