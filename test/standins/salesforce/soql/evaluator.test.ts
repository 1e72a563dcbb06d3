import { Org, type SfRecord } from '../org';
import { executeSoql, parseSoql, SoqlError, type ExecuteOptions } from './index';

const NOW = new Date('2026-11-26T15:30:00Z'); // a Thursday

type Row = SfRecord & { Id: string };

function fixture() {
  const org = new Org();
  const ins = (objectName: string, fields: SfRecord): Row => org.insert(objectName, fields) as Row;
  const alice = ins('User', { Username: 'alice@example.com', Name: 'Alice Adams', IsActive: true, LastLoginDate: '2026-11-26T09:00:00.000Z' });
  const bob = ins('User', { Username: 'bob@example.com', Name: 'Bob Brown', IsActive: false });
  const carol = ins('User', { Username: 'carol_x@example.com', Name: "Carol O'Neil", IsActive: true });
  ins('UserLogin', { UserId: alice.Id, IsFrozen: false });
  ins('UserLogin', { UserId: bob.Id, IsFrozen: true });
  ins('UserLogin', { UserId: carol.Id, IsFrozen: true });
  const paris = ins('LoginGeo', { City: 'Paris', Country: 'France', CountryIso: 'FR', Latitude: 48.85 });
  const lhA = ins('LoginHistory', {
    UserId: alice.Id,
    LoginTime: '2026-11-26T09:00:00.000Z',
    Status: 'Success',
    Browser: 'Chrome 126',
    LoginGeoId: paris.Id,
    CountryIso: 'FR',
  });
  const lhB = ins('LoginHistory', { UserId: bob.Id, LoginTime: '2026-11-20T09:00:00.000Z', Status: 'Invalid Password', Browser: 'Firefox' });
  const session = (fields: SfRecord): Row => {
    const id = org.newId('AuthSession');
    return ins('AuthSession', { Id: id, ParentId: id, ...fields });
  };
  const s1 = session({
    UsersId: alice.Id,
    SessionType: 'UI',
    CreatedDate: '2026-11-26T09:00:00.000Z',
    LastModifiedDate: '2026-11-26T10:00:00.000Z',
    SourceIp: '203.0.113.7',
    NumSecondsValid: 7200,
    LoginHistoryId: lhA.Id,
    LoginGeoId: paris.Id,
  });
  const s2 = ins('AuthSession', {
    UsersId: alice.Id,
    SessionType: 'Visualforce',
    CreatedDate: '2026-11-26T09:01:00.000Z',
    LastModifiedDate: '2026-11-26T09:30:00.000Z',
    ParentId: s1.Id,
    NumSecondsValid: 3600,
    LoginHistoryId: lhA.Id,
  });
  const s3 = session({
    UsersId: bob.Id,
    SessionType: 'API',
    CreatedDate: '2026-11-25T23:59:59.000Z',
    LastModifiedDate: '2026-11-25T23:59:59.000Z',
    SourceIp: null,
    NumSecondsValid: 900,
    LoginHistoryId: lhB.Id,
  });
  const s4 = session({
    UsersId: carol.Id,
    SessionType: 'Oauth2',
    CreatedDate: '2026-11-19T00:00:00.000Z',
    LastModifiedDate: '2026-11-20T00:00:00.000Z',
    SourceIp: '198.51.100.1',
    NumSecondsValid: 7200,
  });
  return { org, alice, bob, carol, paris, lhA, lhB, s1, s2, s3, s4 };
}

type Fx = ReturnType<typeof fixture>;
let fx: Fx;
beforeEach(() => {
  fx = fixture();
});

const run = (soql: string, options: Partial<ExecuteOptions> = {}) => executeSoql(fx.org, soql, { now: NOW, ...options });
const ids = (soql: string, options: Partial<ExecuteOptions> = {}) => run(soql, options).records.map((r) => r.Id);

function errorOf(soql: string, options: Partial<ExecuteOptions> = {}): SoqlError {
  try {
    run(soql, options);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SELECT output', () => {
  it('renders REST-shaped records with schema casing, relationships and +0000 datetimes', () => {
    const res = run(
      `select id, users.username, USERS.name, loginhistory.browser, LoginHistory.LoginGeo.Country, LoginGeo.City, createddate, NumSecondsValid, IsCurrent
       from authsession where id = '${String(fx.s1.Id)}'`,
    );
    expect(res.totalSize).toBe(1);
    expect(res.records[0]).toEqual({
      attributes: { type: 'AuthSession', url: `/services/data/v62.0/sobjects/AuthSession/${String(fx.s1.Id)}` },
      Id: fx.s1.Id,
      Users: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${String(fx.alice.Id)}` },
        Username: 'alice@example.com',
        Name: 'Alice Adams',
      },
      LoginHistory: {
        attributes: { type: 'LoginHistory', url: `/services/data/v62.0/sobjects/LoginHistory/${String(fx.lhA.Id)}` },
        Browser: 'Chrome 126',
        LoginGeo: { attributes: { type: 'LoginGeo', url: `/services/data/v62.0/sobjects/LoginGeo/${String(fx.paris.Id)}` }, Country: 'France' },
      },
      LoginGeo: { attributes: { type: 'LoginGeo', url: `/services/data/v62.0/sobjects/LoginGeo/${String(fx.paris.Id)}` }, City: 'Paris' },
      CreatedDate: '2026-11-26T09:00:00.000+0000',
      NumSecondsValid: 7200,
      IsCurrent: false,
    });
    expect(Object.keys(res.records[0] ?? {})).toEqual(['attributes', 'Id', 'Users', 'LoginHistory', 'LoginGeo', 'CreatedDate', 'NumSecondsValid', 'IsCurrent']);
  });

  it('renders a null lookup as null, also through a multi-level path', () => {
    const res = run(`SELECT LoginGeo.City, LoginHistory.LoginGeo.Country FROM AuthSession WHERE Id = '${String(fx.s4.Id)}'`);
    expect(res.records[0]).toEqual({
      attributes: { type: 'AuthSession', url: `/services/data/v62.0/sobjects/AuthSession/${String(fx.s4.Id)}` },
      LoginGeo: null,
      LoginHistory: null,
    });
    const viaHistory = run(`SELECT LoginHistory.LoginGeo.Country FROM AuthSession WHERE Id = '${String(fx.s3.Id)}'`);
    expect(viaHistory.records[0]?.LoginHistory).toEqual({
      attributes: { type: 'LoginHistory', url: `/services/data/v62.0/sobjects/LoginHistory/${String(fx.lhB.Id)}` },
      LoginGeo: null,
    });
  });

  it('uses the API version given for attribute urls', () => {
    expect(run(`SELECT Id FROM User WHERE Id = '${String(fx.bob.Id)}'`, { apiVersion: '58.0' }).records[0]?.attributes).toEqual({
      type: 'User',
      url: `/services/data/v58.0/sobjects/User/${String(fx.bob.Id)}`,
    });
  });

  it('COUNT() returns totalSize and no records', () => {
    expect(run('SELECT COUNT() FROM AuthSession')).toEqual({ totalSize: 4, records: [], objectName: 'AuthSession' });
    expect(run("SELECT count() FROM AuthSession WHERE SessionType = 'ui'")).toEqual({ totalSize: 1, records: [], objectName: 'AuthSession' });
  });

  it('computes IsCurrent for the caller session family only', () => {
    const soql = 'SELECT Id, IsCurrent FROM AuthSession ORDER BY CreatedDate';
    const mine = run(soql, { callerSessionId: String(fx.s1.Id) }).records.map((r) => [r.Id, r.IsCurrent]);
    expect(mine).toEqual([
      [fx.s4.Id, false],
      [fx.s3.Id, false],
      [fx.s1.Id, true],
      [fx.s2.Id, true],
    ]);
    expect(ids('SELECT Id FROM AuthSession WHERE IsCurrent = true', { callerSessionId: String(fx.s3.Id) })).toEqual([fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE IsCurrent = true')).toEqual([]);
  });

  it('accepts the object name as a field qualifier', () => {
    expect(ids(`SELECT AuthSession.Id FROM AuthSession WHERE AuthSession.UsersId = '${String(fx.bob.Id)}'`)).toEqual([fx.s3.Id]);
  });
});

describe('WHERE', () => {
  it('compares strings case-insensitively and supports != / <>', () => {
    expect(ids("SELECT Id FROM User WHERE Username = 'ALICE@example.COM'")).toEqual([fx.alice.Id]);
    expect(ids("SELECT Id FROM User WHERE Username != 'alice@example.com'")).toEqual([fx.bob.Id, fx.carol.Id]);
    expect(ids("SELECT Id FROM User WHERE Username <> 'alice@example.com'")).toEqual([fx.bob.Id, fx.carol.Id]);
  });

  it('treats = null and != null as IS NULL / IS NOT NULL, and != includes nulls', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE SourceIp = null')).toEqual([fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE SourceIp != null')).toEqual([fx.s1.Id, fx.s4.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE SourceIp != '203.0.113.7'")).toEqual([fx.s2.Id, fx.s3.Id, fx.s4.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE SourceIp < '9'")).toEqual([fx.s1.Id, fx.s4.Id]);
  });

  it('combines AND, OR and NOT with parentheses', () => {
    expect(ids("SELECT Id FROM AuthSession WHERE (SessionType = 'UI' OR SessionType = 'API') AND NumSecondsValid > 1000")).toEqual([fx.s1.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE SessionType = 'UI' OR (SessionType = 'API' AND NumSecondsValid < 1000)")).toEqual([fx.s1.Id, fx.s3.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE NOT SessionType = 'UI'")).toEqual([fx.s2.Id, fx.s3.Id, fx.s4.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE NOT (SessionType = 'UI' OR SessionType = 'API')")).toEqual([fx.s2.Id, fx.s4.Id]);
  });

  it('refuses AND and OR at one level without parentheses', () => {
    const e = errorOf("SELECT Id FROM AuthSession WHERE SessionType = 'UI' AND NumSecondsValid > 1 OR SessionType = 'API'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.message).toContain("unexpected token: 'OR'");
    expect(errorOf("SELECT Id FROM AuthSession WHERE SessionType = 'UI' OR SessionType = 'API' AND NumSecondsValid > 1").errorCode).toBe('MALFORMED_QUERY');
  });

  it('supports IN and NOT IN value lists, ids in 15- and 18-character form', () => {
    const alice15 = String(fx.alice.Id).slice(0, 15);
    expect(ids(`SELECT Id FROM AuthSession WHERE UsersId IN ('${alice15}', '${String(fx.bob.Id)}')`)).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids(`SELECT Id FROM AuthSession WHERE UsersId NOT IN ('${String(fx.alice.Id)}')`)).toEqual([fx.s3.Id, fx.s4.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE SessionType IN ('ui', 'OAUTH2')")).toEqual([fx.s1.Id, fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE NumSecondsValid IN (900, 3600)')).toEqual([fx.s2.Id, fx.s3.Id]);
  });

  it('supports semi-join and anti-join sub-selects', () => {
    expect(ids('SELECT Id FROM LoginHistory WHERE UserId IN (SELECT UserId FROM UserLogin WHERE IsFrozen = true)')).toEqual([fx.lhB.Id]);
    expect(ids('SELECT Id FROM LoginHistory WHERE UserId NOT IN (SELECT UserId FROM UserLogin WHERE IsFrozen = true)')).toEqual([fx.lhA.Id]);
    expect(ids("SELECT Id FROM User WHERE Id IN (SELECT UsersId FROM AuthSession WHERE SessionType = 'Oauth2')")).toEqual([fx.carol.Id]);
    expect(errorOf("SELECT Id FROM LoginHistory WHERE LoginType = 'UI' OR UserId IN (SELECT UserId FROM UserLogin)").errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id FROM LoginHistory WHERE LoginGeoId IN (SELECT UserId FROM UserLogin)').errorCode).toBe('INVALID_FIELD');
    expect(errorOf('SELECT Id FROM LoginHistory WHERE SourceIp IN (SELECT UserId FROM UserLogin)').errorCode).toBe('INVALID_FIELD');
    // Unconfirmed on the platform for AuthSession and OauthToken, so refused there (the bot does without).
    expect(errorOf('SELECT Id FROM AuthSession WHERE UsersId IN (SELECT UserId FROM UserLogin WHERE IsFrozen = true)').message).toContain(
      'Semi join sub-selects on AuthSession are not confirmed',
    );
  });

  it('LIKE is case-insensitive with % and _ wildcards and escaped \\_ / \\%', () => {
    expect(ids("SELECT Id FROM User WHERE Username LIKE 'A%'")).toEqual([fx.alice.Id]);
    expect(ids("SELECT Id FROM User WHERE Username LIKE '_ob@%'")).toEqual([fx.bob.Id]);
    expect(ids("SELECT Id FROM User WHERE Username LIKE '%\\_x%'")).toEqual([fx.carol.Id]);
    expect(ids("SELECT Id FROM User WHERE Username LIKE '%\\%%'")).toEqual([]);
    expect(ids("SELECT Id FROM User WHERE Name LIKE '%o''%'".replace("''", "\\'"))).toEqual([fx.carol.Id]);
  });

  it('filters through relationship paths', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE Users.IsActive = false')).toEqual([fx.s3.Id]);
    expect(ids("SELECT Id FROM AuthSession WHERE LoginHistory.LoginGeo.Country = 'france'")).toEqual([fx.s1.Id, fx.s2.Id]);
  });

  it('parses every documented datetime form and compares instants', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate >= 2026-11-26T09:00:00Z')).toEqual([fx.s1.Id, fx.s2.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = 2026-11-26T09:00:00.000+0000')).toEqual([fx.s1.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = 2026-11-26T01:00:00-08:00')).toEqual([fx.s1.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = 2026-11-26T10:00:00+01:00')).toEqual([fx.s1.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate < 2026-11-20T00:00:00Z')).toEqual([fx.s4.Id]);
  });

  it('unescapes string literals and rejects unknown escapes', () => {
    expect(ids("SELECT Id FROM User WHERE Name = 'Carol O\\'Neil'")).toEqual([fx.carol.Id]);
    fx.org.insert('User', { Username: 'tab', Name: 'a\tb\\c"d\ne' });
    expect(run("SELECT Username FROM User WHERE Name = 'a\\tb\\\\c\\\"d\\ne'").records.map((r) => r.Username)).toEqual(['tab']);
    const e = errorOf("SELECT Id FROM User WHERE Name = 'a\\qb'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.message).toContain("Illegal character sequence '\\q'");
  });

  it('compares booleans and numbers', () => {
    expect(ids('SELECT Id FROM User WHERE IsActive = TRUE')).toEqual([fx.alice.Id, fx.carol.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE NumSecondsValid >= 3600 AND NumSecondsValid <= 7000')).toEqual([fx.s2.Id]);
    expect(ids('SELECT Id FROM LoginGeo WHERE Latitude > 48.5')).toEqual([fx.paris.Id]);
  });
});

describe('date literals (UTC, injectable clock)', () => {
  const at = (iso: string) => ({ now: new Date(iso) });
  it('TODAY, YESTERDAY and ranges with < and >', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = TODAY')).toEqual([fx.s1.Id, fx.s2.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = YESTERDAY')).toEqual([fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate < YESTERDAY')).toEqual([fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate > YESTERDAY')).toEqual([fx.s1.Id, fx.s2.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate >= YESTERDAY')).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate <= YESTERDAY')).toEqual([fx.s3.Id, fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate != TODAY')).toEqual([fx.s3.Id, fx.s4.Id]);
  });

  it('LAST_N_DAYS:n includes today plus n whole days back', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = LAST_N_DAYS:1')).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = LAST_N_DAYS:7')).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id, fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = LAST_N_DAYS:6')).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    // Just after midnight UTC the window moves: s3 (23:59:59 on the 25th) falls out of LAST_N_DAYS:1.
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = LAST_N_DAYS:1', at('2026-11-27T00:00:01Z'))).toEqual([fx.s1.Id, fx.s2.Id]);
  });

  it('N_DAYS_AGO:n, NEXT_N_DAYS:n and THIS_WEEK / LAST_WEEK (Sunday start)', () => {
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = N_DAYS_AGO:7')).toEqual([fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = NEXT_N_DAYS:3', at('2026-11-24T12:00:00Z'))).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = NEXT_N_DAYS:1', at('2026-11-25T12:00:00Z'))).toEqual([fx.s1.Id, fx.s2.Id]);
    // 2026-11-26 is a Thursday: this week started Sunday 2026-11-22.
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = THIS_WEEK')).toEqual([fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession WHERE CreatedDate = LAST_WEEK')).toEqual([fx.s4.Id]);
  });

  it('rejects date literals and plain dates against non-matching types', () => {
    expect(errorOf('SELECT Id FROM AuthSession WHERE SourceIp = TODAY').errorCode).toBe('INVALID_FIELD');
    const e = errorOf('SELECT Id FROM AuthSession WHERE CreatedDate > 2026-11-26');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain("value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes");
  });
});

describe('ORDER BY, LIMIT, OFFSET', () => {
  it('sorts on several keys with Salesforce null defaults', () => {
    expect(ids('SELECT Id FROM AuthSession ORDER BY SourceIp')).toEqual([fx.s2.Id, fx.s3.Id, fx.s4.Id, fx.s1.Id]);
    expect(ids('SELECT Id FROM AuthSession ORDER BY SourceIp DESC')).toEqual([fx.s1.Id, fx.s4.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession ORDER BY SourceIp ASC NULLS LAST, CreatedDate DESC')).toEqual([fx.s4.Id, fx.s1.Id, fx.s2.Id, fx.s3.Id]);
    expect(ids('SELECT Id FROM AuthSession ORDER BY SourceIp DESC NULLS FIRST, CreatedDate')).toEqual([fx.s3.Id, fx.s2.Id, fx.s1.Id, fx.s4.Id]);
    expect(ids('SELECT Id FROM AuthSession ORDER BY Users.Username DESC, CreatedDate ASC')).toEqual([fx.s4.Id, fx.s3.Id, fx.s1.Id, fx.s2.Id]);
  });

  it('applies OFFSET then LIMIT, and caps OFFSET at 2000', () => {
    expect(ids('SELECT Id FROM AuthSession ORDER BY CreatedDate LIMIT 2 OFFSET 1')).toEqual([fx.s3.Id, fx.s1.Id]);
    expect(run('SELECT COUNT() FROM AuthSession LIMIT 3').totalSize).toBe(3);
    expect(ids('SELECT Id FROM AuthSession OFFSET 2000')).toEqual([]);
    const e = errorOf('SELECT Id FROM AuthSession OFFSET 2001');
    expect(e.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    expect(e.message).toContain('Maximum SOQL offset allowed is 2000');
  });
});

describe('errors in Salesforce shape', () => {
  it('unknown column: INVALID_FIELD with caret, row and column', () => {
    const e = errorOf('SELECT Foo FROM AuthSession');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toBe(
      "\nSELECT Foo FROM AuthSession\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'AuthSession'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    const multiline = errorOf('SELECT Id,\n  Users.Nope\nFROM AuthSession');
    expect(multiline.message).toMatch(/^\n {2}Users\.Nope\n {2}\^\nERROR at Row:2:Column:3\nNo such column 'Nope' on entity 'User'/);
  });

  it('unknown relationship: INVALID_FIELD (LoginHistory has no User relationship)', () => {
    const e = errorOf('SELECT User.Name FROM LoginHistory');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain("Didn't understand relationship 'User' in field path.");
  });

  it('non-filterable field: INVALID_FIELD, but sorting and selecting it is fine', () => {
    const e = errorOf("SELECT Id FROM LoginHistory WHERE Status != 'Success'");
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain("field 'Status' can not be filtered in a query call");
    expect(run('SELECT Status FROM LoginHistory ORDER BY Status').records.map((r) => r.Status)).toEqual(['Invalid Password', 'Success']);
  });

  it('value type mismatches: INVALID_FIELD with Salesforce wording', () => {
    expect(errorOf("SELECT Id FROM AuthSession WHERE CreatedDate > '2026-11-26T00:00:00Z'").message).toContain(
      "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    );
    expect(errorOf('SELECT Id FROM AuthSession WHERE SourceIp = 5').message).toContain(
      "value of filter criterion for field 'SourceIp' must be of type string and should be enclosed in quotes",
    );
    expect(errorOf("SELECT Id FROM User WHERE IsActive = 'true'").message).toContain('must be of type boolean and should not be enclosed in quotes');
    expect(errorOf("SELECT Id FROM AuthSession WHERE NumSecondsValid = '5'").errorCode).toBe('INVALID_FIELD');
  });

  it('unquoted words and broken syntax: MALFORMED_QUERY', () => {
    expect(errorOf('SELECT Id FROM AuthSession WHERE SourceIp = abc').message).toContain("unexpected token: 'abc'");
    expect(errorOf('SELECT Id FROM').message).toContain('unexpected token: <EOF>');
    expect(errorOf('SELECT Id FROM AuthSession WHERE').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id FROM AuthSession LIMIT 5 extra').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id, FROM AuthSession').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf("SELECT Id FROM AuthSession WHERE SourceIp = 'open").errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id, id FROM AuthSession').message).toContain('duplicate field selected: Id');
  });

  it('invalid ids: INVALID_QUERY_FILTER_OPERATOR', () => {
    const e = errorOf("SELECT Id FROM AuthSession WHERE UsersId = '005abc'");
    expect(e.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(e.message).toContain('invalid ID field: 005abc');
  });

  it('unknown or denied object: INVALID_TYPE (or the configured code)', () => {
    const e = errorOf('SELECT Id FROM Foo');
    expect(e.errorCode).toBe('INVALID_TYPE');
    expect(e.message).toContain("sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c'");
    expect(errorOf('SELECT Id FROM AuthSession', { deniedObjects: { AuthSession: 'INVALID_TYPE' } }).message).toContain(
      "sObject type 'AuthSession' is not supported",
    );
    expect(
      errorOf('SELECT Id FROM LoginHistory WHERE UserId IN (SELECT UserId FROM UserLogin)', { deniedObjects: new Map([['userlogin', 'INSUFFICIENT_ACCESS']]) })
        .errorCode,
    ).toBe('INSUFFICIENT_ACCESS');
  });

  it('features outside the subset fail loudly instead of returning wrong data', () => {
    expect(errorOf('SELECT SessionType, COUNT(Id) FROM AuthSession GROUP BY SessionType').errorCode).toBe('STANDIN_UNSUPPORTED');
    expect(errorOf('SELECT Id FROM AuthSession GROUP BY SessionType').errorCode).toBe('STANDIN_UNSUPPORTED');
  });
});

describe('parseSoql', () => {
  it('keeps positions and case-insensitive keywords', () => {
    const q = parseSoql("select Id from AuthSession where UsersId = '005000000000001AAA' order by CreatedDate desc nulls first limit 5");
    expect(q.from).toEqual({ name: 'AuthSession', pos: 15 });
    expect(q.orderBy).toEqual([{ field: { segments: ['CreatedDate'], pos: 73 }, descending: true, nullsFirst: true }]);
    expect(q.limit?.value).toBe(5);
  });
});

describe('indexed lookups', () => {
  class ScanGuardOrg extends Org {
    override all(objectName: string) {
      if (objectName === 'LoginHistory') throw new Error('full scan of LoginHistory');
      return super.all(objectName);
    }
  }

  it('answers UserId = / IN / semi-join conditions without scanning the table', () => {
    const org = new ScanGuardOrg();
    const u = org.insert('User', { Username: 'x' }) as Row;
    const other = org.insert('User', { Username: 'y' }) as Row;
    for (let i = 0; i < 50; i += 1) {
      org.insert('LoginHistory', { UserId: i % 2 ? u.Id : other.Id, LoginTime: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() });
    }
    const opts = { now: NOW };
    expect(executeSoql(org, `SELECT COUNT() FROM LoginHistory WHERE UserId = '${String(u.Id)}' AND LoginTime = LAST_N_DAYS:30`, opts).totalSize).toBe(25);
    expect(executeSoql(org, `SELECT COUNT() FROM LoginHistory WHERE UserId IN ('${String(u.Id)}', '${String(other.Id)}')`, opts).totalSize).toBe(50);
    expect(executeSoql(org, "SELECT COUNT() FROM LoginHistory WHERE UserId IN (SELECT Id FROM User WHERE Username = 'y')", opts).totalSize).toBe(25);
    expect(() => executeSoql(org, "SELECT COUNT() FROM LoginHistory WHERE LoginUrl = 'z'", opts)).toThrow('full scan');
  });
});
