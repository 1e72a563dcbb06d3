/**
 * The demo's Slack workspace: five people a viewer can switch between and the two channels the
 * bot works in. Slack e-mails equal the Salesforce usernames of the demo org, as in a real
 * company, so `/sessions @bob` and the "was this you?" DM find the right person.
 */
import type { Person } from './console/protocol';

export const SECURITY_CHANNEL = { id: 'C0SECURITY', name: 'security' } as const;
export const GENERAL_CHANNEL = { id: 'C0GENERAL', name: 'general' } as const;

export const DEMO_PEOPLE = {
  ada: {
    id: 'U0ADA0001',
    name: 'ada',
    realName: 'Ada Lovelace',
    email: 'ada@acme.com',
    role: 'admin',
    roleLabel: 'security admin (runs /sessions, requests actions)',
    tz: 'Europe/London',
  },
  paul: {
    id: 'U0PAUL001',
    name: 'paul',
    realName: 'Paul Otlet',
    email: 'paul@acme.com',
    role: 'approver',
    roleLabel: 'approver',
    tz: 'Europe/Amsterdam',
  },
  quinn: {
    id: 'U0QUINN01',
    name: 'quinn',
    realName: 'Quinn Hughes',
    email: 'quinn@acme.com',
    role: 'approver',
    roleLabel: 'approver',
    tz: 'America/New_York',
  },
  nora: {
    id: 'U0NORA001',
    name: 'nora',
    realName: 'Nora Ephron',
    email: 'nora@acme.com',
    role: 'colleague',
    roleLabel: 'colleague (may not use the bot)',
    tz: 'America/New_York',
  },
  bob: {
    id: 'U0BOB0001',
    name: 'bob',
    realName: 'Bob Baker',
    email: 'bob@acme.com',
    role: 'compromised',
    roleLabel: 'the compromised colleague (gets the "was this you?" DM)',
    tz: 'America/Los_Angeles',
  },
} as const satisfies Record<string, Person>;

export const PEOPLE_LIST: readonly Person[] = Object.values(DEMO_PEOPLE);

/** Who may do what, in the bot's own settings (ADMINS, APPROVERS). */
export const ACCESS = {
  admins: [DEMO_PEOPLE.ada.id],
  approvers: [DEMO_PEOPLE.paul.id, DEMO_PEOPLE.quinn.id],
} as const;

/** The part of the Slack stand-in the seeding needs. */
export interface WorkspaceSeedTarget {
  addUser(input: { id: string; name: string; real_name: string; tz: string; is_admin?: boolean; profile: { email: string; real_name: string } }): unknown;
  addChannel(input: { id: string; name: string; members: string[] }): unknown;
  workspace: { ids: { botUserId: string }; channels: Map<string, unknown>; imWith(userId: string): unknown };
}

export function seedWorkspace(slack: WorkspaceSeedTarget): void {
  for (const p of PEOPLE_LIST) {
    slack.addUser({ id: p.id, name: p.name, real_name: p.realName, tz: p.tz, profile: { email: p.email, real_name: p.realName } });
    // Every person has a DM with the bot from the start, so the console can show it before the first message.
    slack.workspace.imWith(p.id);
  }
  const bot = slack.workspace.ids.botUserId;
  // The stand-in starts with #general; re-added after #security so the console lists the bot's channel first.
  slack.workspace.channels.delete(GENERAL_CHANNEL.id);
  const team = [DEMO_PEOPLE.ada.id, DEMO_PEOPLE.paul.id, DEMO_PEOPLE.quinn.id];
  slack.addChannel({ id: SECURITY_CHANNEL.id, name: SECURITY_CHANNEL.name, members: [...team, bot] });
  slack.addChannel({ id: GENERAL_CHANNEL.id, name: GENERAL_CHANNEL.name, members: [...PEOPLE_LIST.map((p) => p.id), bot] });
}
