import type { Button, KnownBlock } from '@slack/types';
import { classifyChanges, type SessionActivityRead, type SetupChange } from '../../../src/domain/investigation';
import { ACTIONS, decodeValue, INVESTIGATE_ACTIONS } from '../../../src/slack/views/action-ids';
import { investigationMessage, waysBackInMessage, type InvestigationView } from '../../../src/slack/views/investigation';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { makeLogin, makeUser, NOW } from '../../support/view-factories';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const user = makeUser();
const change = (id: string, action: string, display: string, delegateUser: string | null = null): SetupChange => ({
  id,
  at: minutesAgo(10),
  action,
  section: 'Manage Users',
  display,
  createdById: user.id,
  createdByUsername: user.username,
  delegateUser,
});

function read(over: Partial<SessionActivityRead> = {}): SessionActivityRead {
  return {
    setupChanges: { kind: 'read', rows: [], truncated: false },
    logins: { kind: 'read', rows: [makeLogin(1)], truncated: false },
    verifications: { kind: 'read', rows: [], truncated: false },
    eventLogs: {
      kind: 'read',
      rows: [{ id: '0AT000000000001AAA', eventType: 'ApiTotalUsage', logDate: minutesAgo(600), interval: 'Daily', length: 100 }],
      truncated: false,
    },
    apiCalls: null,
    sessionEvents: null,
    eventMonitoring: 'not-licensed',
    calls: 1,
    ...over,
  };
}

function view(over: Partial<InvestigationView> = {}, changes: SetupChange[] = []): InvestigationView {
  return {
    user,
    window: { from: minutesAgo(30), to: NOW, sessionIds: ['0Ak000000000001AAA'], sourceIps: ['198.51.100.23'] },
    read: read(),
    changes: { kind: 'read', rows: classifyChanges(changes), truncated: false },
    calls: 2,
    value: { u: user.id, s: '0Ak000000000001AAA' },
    ...over,
  };
}

const buttons = (blocks: KnownBlock[]): Button[] =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements.filter((e): e is Button => e.type === 'button') : []));

describe('investigationMessage', () => {
  it('puts the ways back in first, escapes Salesforce text, names a Login-As and offers the API calls at their price', () => {
    const msg = investigationMessage(
      view({}, [
        change('a', 'PermSetAssign', 'Permission set <!channel> Ops: assigned to user Ada'),
        change('b', 'changedcommunitynickname', 'Changed nickname'),
        change('c', 'changedemail', 'Changed email for user Ada', 'admin@acme.com'),
      ]),
    );
    expectValidMessage(msg);
    const text = allText(msg.blocks);
    expect(text.indexOf('Ways back in (2)')).toBeLessThan(text.indexOf('Other Setup changes (1)'));
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('through Login-As by admin@acme.com');
    expect(text).toContain('reading them costs 1 API call');
    expect(text).toContain('Cost: 2 Salesforce API calls');
    const more = buttons(msg.blocks).find((b) => b.action_id === INVESTIGATE_ACTIONS.apiCalls);
    expect(decodeValue(more?.value)).toEqual({ u: user.id, s: '0Ak000000000001AAA' });
    expect(msg.text).toBe(`What ${user.name}'s session did: 2 ways back in among the Setup changes.`);
  });

  it('says "unknown" with the cause for every source it could not read, never "none"', () => {
    const hidden = { kind: 'unreadable' as const, cause: 'permission' as const, detail: 'needs View Setup and Configuration (INVALID_TYPE).' };
    const msg = investigationMessage(
      view({
        changes: hidden,
        read: read({ eventLogs: { kind: 'unreadable', cause: 'permission', detail: 'needs View Event Log Files' }, eventMonitoring: 'unknown' }),
      }),
    );
    expectValidMessage(msg);
    const text = allText(msg.blocks);
    expect(text).toContain('Setup changes: unknown* (missing permission)');
    expect(text).toContain('API calls (event log files): unknown');
    expect(text).toContain('Whether the org has Event Monitoring is unknown');
    expect(text).not.toMatch(/Setup changes:\* none/);
    expect(msg.text).toContain('Setup changes unknown');
    expect(buttons(msg.blocks).map((b) => b.action_id)).toEqual([ACTIONS.history]);
  });

  it('shows the session’s own events when the org has Event Monitoring', () => {
    const msg = investigationMessage(
      view({
        read: read({
          eventMonitoring: 'licensed',
          apiCalls: { kind: 'read', rows: [], truncated: false },
          sessionEvents: {
            kind: 'read',
            rows: [
              {
                source: 'ReportEvent',
                at: minutesAgo(5),
                operation: 'ReportExported',
                entities: 'Opportunity',
                rows: 812,
                sourceIp: '198.51.100.23',
                reportId: null,
              },
            ],
            truncated: false,
          },
        }),
      }),
    );
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('Report ReportExported · Opportunity · 812 rows');
    expect(allText(msg.blocks)).toContain('Read from Event Monitoring');
  });
});

describe('waysBackInMessage', () => {
  const target = { id: user.id, username: user.username, name: user.name };
  it('lists each way back in with its advice, and a Revoke button only when a grant is left', () => {
    const msg = waysBackInMessage({
      user: target,
      items: [
        {
          cls: 'permission-assigned',
          label: 'Permission set or group assigned',
          what: 'Permission set Ops',
          at: minutesAgo(9),
          advice: 'Remove it.',
          remedy: null,
          unconfirmed: false,
        },
        {
          cls: 'oauth-grant',
          label: 'OAuth grant still active',
          what: 'Exfil Sync',
          at: minutesAgo(8),
          advice: 'Revoke it.',
          remedy: { kind: 'revoke-grant', appName: 'Exfil Sync' },
          unconfirmed: false,
        },
      ],
      unknown: [],
      calls: 2,
      canRequest: true,
    });
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('Ways back in for');
    expect(allText(msg.blocks)).toContain('↳ Remove it.');
    expect(buttons(msg.blocks).map((b) => b.action_id)).toEqual([ACTIONS.revokeTokens, ACTIONS.pickUser]);
  });

  it('says "none found" only when every source was read, and names what could not be', () => {
    const none = waysBackInMessage({ user: target, items: [], unknown: [], calls: 2, canRequest: true });
    expect(allText(none.blocks)).toContain('none found');
    const partial = waysBackInMessage({ user: target, items: [], unknown: ['OAuth grants: could not be read.'], calls: 2, canRequest: true });
    expect(allText(partial.blocks)).not.toContain('none found');
    expect(allText(partial.blocks)).toContain(':grey_question: OAuth grants: could not be read.');
    expect(buttons(partial.blocks).map((b) => b.action_id)).toEqual([ACTIONS.pickUser]);
  });
});
