import { classifySetupChange, knownActions, WAY_BACK_IN_CLASSES } from '../../src/domain/setup-changes';
import { changesInWindow, waysBackIn, type SetupChange } from '../../src/domain/investigation';

describe('classifySetupChange', () => {
  // Action / Section pairs as public Setup Audit Trail catalogues show them.
  const cases: Array<[string, string | null, string | null, string]> = [
    ['PermSetAssign', 'Manage Users', 'permission-assigned', 'catalogue'],
    ['PermSetGroupAssign', 'Manage Users', 'permission-assigned', 'catalogue'],
    ['permsetassign', 'Manage Users', 'permission-assigned', 'catalogue'],
    ['changedprofileforuser', 'Manage Users', 'profile-changed', 'catalogue'],
    ['changedprofileforuserstdtocust', 'Manage Users', 'profile-changed', 'catalogue'],
    ['insertConnectedApplication', 'Connected Apps', 'connected-app', 'catalogue'],
    ['insertApplication', 'Application', 'connected-app', 'catalogue'],
    ['changedemail', 'Manage Users', 'identity-changed', 'catalogue'],
    ['changedusername', 'Manage Users', 'identity-changed', 'catalogue'],
    ['changedfederationid', 'Manage Users', 'identity-changed', 'catalogue'],
    ['insertTwoFactorInfo2', 'Manage Users', 'mfa-changed', 'catalogue'],
    ['deleteTwoFactorInfo2', 'Manage Users', 'mfa-changed', 'catalogue'],
    ['insertAuthenticatorPairing', 'Manage Users', 'mfa-changed', 'catalogue'],
    ['loginasgrantedtosfdc', null, 'login-as-granted', 'catalogue'],
    ['overridegrantaccessenabledoff', 'Manage Users', 'login-as-granted', 'catalogue'],
    ['changedpassword', 'Manage Users', 'password-changed', 'catalogue'],
    ['resetpassword', 'Manage Users', 'password-changed', 'catalogue'],
    ['namedCredentialFieldChange', 'Named Credentials', 'named-credential', 'catalogue'],
    ['createduser', 'Manage Users', 'user-created', 'catalogue'],
    ['updateConnectedApplication', null, 'connected-app', 'unconfirmed'],
    // A code no catalogue lists, in a section that matters: classified by its section.
    ['namedCredentialSomethingNew', 'Named Credentials', 'named-credential', 'section'],
    // Changes that open no way back in.
    ['changedcommunitynickname', 'Manage Users', null, ''],
    ['PermSetUnassign', 'Manage Users', null, ''],
    ['suOrgAdminLogout', 'Manage Users', null, ''],
    ['createdStaticResource', 'Static Resource', null, ''],
  ];
  it.each(cases)('%s (%s) → %s', (action, section, cls, source) => {
    const got = classifySetupChange(action, section);
    if (cls === null) expect(got).toBeNull();
    else expect(got).toEqual({ cls, source });
  });

  it('knows every class it advertises, and each class has a label and advice', () => {
    const used = new Set(knownActions().map((a) => a.cls));
    for (const [cls, info] of Object.entries(WAY_BACK_IN_CLASSES)) {
      expect(used.has(cls as never)).toBe(true);
      expect(info.label.length).toBeGreaterThan(5);
      expect(info.advice.length).toBeGreaterThan(20);
    }
  });
});

const at = (iso: string): Date => new Date(iso);
const change = (id: string, when: string, by: string, action = 'PermSetAssign', delegateUser: string | null = null): SetupChange => ({
  id,
  at: at(when),
  action,
  section: 'Manage Users',
  display: `${action} ${id}`,
  createdById: by,
  createdByUsername: null,
  delegateUser,
});

describe('changesInWindow', () => {
  const window = { from: at('2026-12-07T10:00:00Z'), to: at('2026-12-07T11:00:00Z') };
  const bob = '005000000000BOBAAA';
  it('keeps the user’s own changes and those made through a Login-As by them, inside the window', () => {
    const rows = [
      change('a', '2026-12-07T10:30:00Z', bob),
      change('b', '2026-12-06T10:30:00Z', bob),
      change('c', '2026-12-07T10:40:00Z', '005000000000ALIAAA'),
      change('d', '2026-12-07T10:50:00Z', '005000000000CARAAA', 'changedemail', 'BOB@acme.com'),
      change('e', '2026-12-07T11:00:01Z', bob),
      change('f', '2026-12-07T10:10:00Z', bob.slice(0, 15)),
    ];
    expect(changesInWindow(rows, bob, 'bob@acme.com', window).map((c) => c.id)).toEqual(['f', 'a', 'd']);
  });
});

describe('waysBackIn', () => {
  const window = { from: at('2026-12-07T10:00:00Z'), to: at('2026-12-07T11:00:00Z'), sessionIds: ['0Ak1'], sourceIps: ['198.51.100.23'] };
  const grant = (appName: string, created: string) => ({ appName, useCount: 3, lastUsedAt: null, createdAt: at(created), deleteToken: 'secret' });

  it('lists classified changes, grants left (with a revoke remedy) and apps authorised in the window', () => {
    const result = waysBackIn({
      window,
      changes: {
        kind: 'read',
        rows: [change('a', '2026-12-07T10:30:00Z', 'x'), change('b', '2026-12-07T10:31:00Z', 'x', 'changedcommunitynickname')],
        truncated: false,
      },
      grantsLeft: [grant('Data Loader', '2026-11-01T00:00:00Z')],
      grantsBefore: [grant('Data Loader', '2026-11-01T00:00:00Z'), grant('Exfil Sync', '2026-12-07T10:20:00Z'), grant('Old App', '2026-01-01T00:00:00Z')],
    });
    expect(result.unknown).toEqual([]);
    expect(result.items.map((i) => [i.cls, i.what.split(' (')[0], i.remedy?.kind ?? null])).toEqual([
      ['permission-assigned', 'PermSetAssign a', null],
      ['oauth-grant', 'Data Loader', 'revoke-grant'],
      ['oauth-grant', 'Exfil Sync', null],
    ]);
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('says what it could not read instead of listing nothing', () => {
    const result = waysBackIn({
      window,
      changes: { kind: 'unreadable', cause: 'permission', detail: 'needs View Setup and Configuration' },
      grantsLeft: null,
      grantsBefore: null,
    });
    expect(result.items).toEqual([]);
    expect(result.unknown).toEqual([
      'Setup Audit Trail: needs View Setup and Configuration',
      'OAuth grants: could not be read (OauthToken needs Customize Application).',
    ]);
  });
});
