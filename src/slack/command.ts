/**
 * Parsing `/sessions` text. With should_escape the client sends mentions as `<@U123|name>`
 * and may wrap e-mails as `<mailto:a@b.com|a@b.com>`; both forms and plain text are accepted.
 */
export type UserRef = { kind: 'mention'; slackUserId: string } | { kind: 'identifier'; value: string };

export type SessionsCommand =
  | { kind: 'help' }
  | { kind: 'org' }
  | { kind: 'show'; user: UserRef }
  | { kind: 'history'; user: UserRef; days: number | null }
  | { kind: 'audit'; target: { requestId: string } | { user: UserRef } }
  | { kind: 'verify-audit' }
  | { kind: 'suppressions' }
  | { kind: 'invalid'; problem: string };

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const MAILTO = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/;
/**
 * Salesforce usernames look like e-mail addresses; e-mails are compared the same way. The local
 * part takes every RFC 5322 atext character — `o'brien`, `a+tag`, `r&d` are real addresses — and
 * refuses only what an unquoted address cannot hold (spaces, controls, `"` `\` `<` `>` `(` `)` `,`
 * `;` `:` `[` `]` and a second `@`). The domain is a host name, where an apostrophe never occurs.
 * Nothing here guards the query: every value reaches SOQL through literal(), which escapes `'` and `\`.
 */
const LOCAL_PART = /^[^\s\p{Cc}@<>"\\(),;:[\]]{1,64}$/u;
const DOMAIN = /^[^\s\p{Cc}@<>"\\(),;:[\]']{1,190}$/u;
const REQUEST_ID = /^R[A-Z2-7]{10}$/;

export function parseUserRef(token: string): UserRef | { problem: string } {
  const mention = MENTION.exec(token);
  if (mention?.[1]) return { kind: 'mention', slackUserId: mention[1] };
  if (token.startsWith('@')) {
    return { problem: `"${token}" was not sent as a mention; pick the person from Slack's @ menu, or type their e-mail or Salesforce username` };
  }
  const value = unescapeSlackText(MAILTO.exec(token)?.[1] ?? token);
  if (!isAddress(value)) {
    return { problem: `"${value.slice(0, 80)}" is not an e-mail, a Salesforce username or an @mention` };
  }
  return { kind: 'identifier', value };
}

/** Slack sends `&`, `<` and `>` in command text as HTML entities (its only escapes). */
function unescapeSlackText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

function isAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && LOCAL_PART.test(value.slice(0, at)) && DOMAIN.test(value.slice(at + 1));
}

export function parseSessionsCommand(text: string): SessionsCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  // Alone, the command shows the org as Setup → Session Management does; usage moved to `help`.
  if (!first) return { kind: 'org' };
  const sub = first.toLowerCase();
  if (sub === 'help') return { kind: 'help' };
  if (sub === 'org') return rest.length === 0 ? { kind: 'org' } : { kind: 'invalid', problem: 'usage: /sessions org (every live session of the org)' };

  const user = (token: string | undefined): UserRef | { problem: string } =>
    token === undefined ? { problem: 'name a user: an e-mail, a Salesforce username or an @mention' } : parseUserRef(token);

  if (sub === 'history') {
    if (rest.length > 2) return { kind: 'invalid', problem: 'usage: /sessions history <user> [days]' };
    const ref = user(rest[0]);
    if ('problem' in ref) return { kind: 'invalid', problem: ref.problem };
    let days: number | null = null;
    if (rest[1] !== undefined) {
      days = Number(rest[1]);
      if (!Number.isInteger(days) || days < 1 || days > 180) {
        return { kind: 'invalid', problem: 'days must be a whole number from 1 to 180 (Salesforce keeps six months of Login History)' };
      }
    }
    return { kind: 'history', user: ref, days };
  }
  if (sub === 'suppressions') {
    return rest.length === 0 ? { kind: 'suppressions' } : { kind: 'invalid', problem: 'usage: /sessions suppressions' };
  }
  if (sub === 'audit') {
    if (rest[0]?.toLowerCase() === 'verify' && rest.length === 1) return { kind: 'verify-audit' };
    if (rest.length !== 1) return { kind: 'invalid', problem: 'usage: /sessions audit <user | request id> or /sessions audit verify' };
    const token = rest[0] ?? '';
    if (REQUEST_ID.test(token)) return { kind: 'audit', target: { requestId: token } };
    const ref = user(token);
    if ('problem' in ref) return { kind: 'invalid', problem: ref.problem };
    return { kind: 'audit', target: { user: ref } };
  }
  if (words.length > 1) {
    return { kind: 'invalid', problem: 'give one user: an e-mail, a Salesforce username or an @mention (try /sessions help)' };
  }
  const ref = user(first);
  if ('problem' in ref) return { kind: 'invalid', problem: ref.problem };
  return { kind: 'show', user: ref };
}
