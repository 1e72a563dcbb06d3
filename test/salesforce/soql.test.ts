import { idList, idLiteral, isSalesforceId, literal } from '../../src/salesforce/soql';
import { sessionsQuery, usersQuery } from '../../src/salesforce/queries';
import { tokenize } from '../standins/salesforce/soql/lexer';

describe('SOQL literals', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(literal("x' OR Name != 'y")).toBe("'x\\' OR Name != \\'y'");
    expect(literal('a\\b')).toBe("'a\\\\b'");
    expect(literal('line\nbreak\ttab')).toBe("'line\\nbreak\\ttab'");
    expect(literal('"')).toBe("'\\\"'");
  });

  it('accepts only 15/18-character ids as id literals', () => {
    expect(isSalesforceId('005000000000001AAA')).toBe(true);
    expect(isSalesforceId('005000000000001')).toBe(true);
    expect(isSalesforceId("005000000000001' OR ''='")).toBe(false);
    expect(() => idLiteral("0050' OR 'x'='x")).toThrow('not a Salesforce id');
    expect(idList(['005000000000001AAA', '005000000000002AAA'])).toBe("('005000000000001AAA', '005000000000002AAA')");
    expect(() => idList([])).toThrow();
  });

  it('keeps an injection attempt inside one string literal', () => {
    const q = usersQuery({ byEmailOrUsername: "x' OR Name != 'y" });
    expect(q).toContain("Username = 'x\\' OR Name != \\'y' OR Email = 'x\\' OR Name != \\'y'");
    expect(sessionsQuery({ byId: '005000000000001AAA' })).toContain("WHERE UsersId = '005000000000001AAA' ORDER BY");
  });

  it("escapes the apostrophe of a valid e-mail such as o'brien@acme.com", () => {
    expect(literal("o'brien@acme.com")).toBe("'o\\'brien@acme.com'");
    expect(usersQuery({ byEmailOrUsername: "o'brien@acme.com" })).toContain("WHERE Username = 'o\\'brien@acme.com' OR Email = 'o\\'brien@acme.com' ORDER BY");
  });

  it('round-trips every tricky value through a SOQL lexer as one string token', () => {
    const values = ["o'brien@acme.com", "!#$%&'*+-/=?^_`{|}~@acme.com", "x'OR'1'='1@acme.com", "ends with \\'", "\\'", "''", 'tab\tand\nnewline', '"quoted"'];
    for (const value of values) {
      const tokens = tokenize(`SELECT Id FROM User WHERE Email = ${literal(value)}`);
      const strings = tokens.filter((t) => t.kind === 'string');
      expect(strings.map((t) => t.value)).toEqual([value]);
      expect(tokens.at(-2)?.kind).toBe('string');
    }
  });
});
