import { userInfo } from 'node:os';
import { AuditStore, OutboxStore, type OutboxRow } from '../store';
import { auditKeyFromEnv, failureMessage, processIo, withStore, type CliEnv, type CliIo } from './io';

const USAGE =
  'usage: npm run outbox -- list [--limit <n>]      the dead-lettered Slack messages, newest first\n' +
  '       npm run outbox -- replay <row> [--by <name>]   queue one of them again (audited); the running bot delivers it\n' +
  '  reads DATABASE_URL and AUDIT_HMAC_KEY as the bot does; exit 0 done, 1 could not, 2 bad usage, 4 no such dead row';

type Parsed = { help: true } | { cmd: 'list'; limit: number } | { cmd: 'replay'; id: number; by: string } | { error: string };

function parse(argv: string[], defaultBy: string): Parsed {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') return cmd === undefined ? { error: 'say list or replay' } : { help: true };
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--limit' || arg === '--by') flags.set(arg, rest[++i] ?? '');
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else positional.push(arg);
  }
  if (cmd === 'list') {
    if (positional.length > 0) return { error: `unexpected argument ${positional[0]}` };
    const limit = Number(flags.get('--limit') ?? '50');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) return { error: '--limit must be a whole number from 1 to 1000' };
    return { cmd, limit };
  }
  if (cmd === 'replay') {
    if (positional.length !== 1 || !/^[1-9]\d{0,14}$/.test(positional[0] ?? '')) return { error: 'replay needs one outbox row number' };
    const by = (flags.get('--by') ?? defaultBy).trim();
    if (by.length === 0 || by.length > 100) return { error: '--by needs a name of 1 to 100 characters' };
    return { cmd, id: Number(positional[0]), by };
  }
  return { error: `unknown command ${cmd}` };
}

/** One line per row: never the payload (a response_url in it is a credential for the conversation). */
function line(row: OutboxRow): string {
  const about = 'requestId' in row ? ` request ${row.requestId}` : 'alertKey' in row ? ` alert ${row.alertKey}` : '';
  return `#${row.id}  ${row.kind}${about}  key ${row.key}  dead since ${row.doneAt?.toISOString() ?? '?'} after ${row.attempts} attempt(s): ${row.lastError ?? '(no error recorded)'}`;
}

/** Lists and replays dead-lettered outbox rows. */
export async function run(argv: string[], env: CliEnv, io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  let defaultBy = 'operator';
  try {
    defaultBy = userInfo().username;
  } catch {
    // No user name (some containers): "operator" it is.
  }
  const args = parse(argv, defaultBy);
  if ('error' in args) {
    io.stderr(`${args.error}\n${USAGE}`);
    return 2;
  }
  if ('help' in args) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    const hmacKey = auditKeyFromEnv(env);
    return await withStore(env, async (db) => {
      const outbox = new OutboxStore(db);
      if (args.cmd === 'list') {
        const rows = await outbox.listDead(args.limit);
        if (rows.length === 0) io.stdout('No dead-lettered Slack messages.');
        for (const row of rows) io.stdout(line(row));
        return 0;
      }
      const replayed = await outbox.replayDead(args.id, now());
      if (!replayed) {
        io.stderr(`Outbox row ${args.id} is not dead-lettered (unknown, already replayed, or delivered); nothing changed.`);
        return 4;
      }
      await new AuditStore(db, { hmacKey }).append(
        {
          requestId: 'requestId' in replayed ? replayed.requestId : null,
          actor: `cli:${args.by}`,
          event: 'outbox-replayed',
          detail: { row: replayed.id, kind: replayed.kind, key: replayed.key, lastError: replayed.lastError },
        },
        now(),
      );
      io.stdout(`Outbox row ${replayed.id} (${replayed.kind}) is queued again; the running bot delivers it within a few seconds. Recorded in the audit trail.`);
      return 0;
    });
  } catch (err) {
    io.stderr(failureMessage('Could not read the outbox', err));
    return 1;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2), process.env, processIo).then((code) => {
    process.exitCode = code;
  });
}
