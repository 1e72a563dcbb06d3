import { AuditStore, type ChainHead, type ChainReport } from '../store';
import { AuditWitness, witnessFileFor } from '../store/audit-witness';
import { parseChainHead } from '../store/chain-head';
import { auditKeyFromEnv, failureMessage, processIo, withStore, type CliEnv, type CliIo } from './io';

const USAGE =
  'usage: npm run audit:verify [-- --expect-head <seq>:<hash>]\n' +
  "  reads DATABASE_URL and AUDIT_HMAC_KEY as the bot does; --expect-head is the chain head a request's final Slack message states\n" +
  '  exit 0 intact, 3 broken, 1 could not check, 2 bad usage';

type Parsed = { help: true } | { help: false; expect: ChainHead | undefined } | { error: string };

function parse(argv: string[]): Parsed {
  let expect: ChainHead | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    let value: string | undefined;
    if (arg === '--expect-head') value = argv[++i] ?? '';
    else if (arg.startsWith('--expect-head=')) value = arg.slice('--expect-head='.length);
    else return { error: arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}` };
    const head = parseChainHead(value);
    if (!head) return { error: `--expect-head needs <seq>:<hash> with a 64-digit hex hash (got "${value}")` };
    expect = head;
  }
  return { help: false, expect };
}

/** Whether a database writer could have rewritten what was just checked. */
export function keyingLine(report: ChainReport, keyGiven: boolean): string {
  if (!report.ok) return keyGiven ? 'Checked with AUDIT_HMAC_KEY (keyed).' : 'Checked without AUDIT_HMAC_KEY (unkeyed).';
  if (report.anchored) {
    const older =
      report.keyedFrom !== null && report.keyedFrom > 1 ? ` (entries before ${report.keyedFrom} predate the key and are covered through the chain)` : '';
    return `Keyed: the chain head carries a valid HMAC under AUDIT_HMAC_KEY${older}; a database writer without the key cannot rewrite it.`;
  }
  if (!keyGiven && report.keyedFrom !== null) {
    return `Unkeyed check: entries from ${report.keyedFrom} on carry HMACs, but AUDIT_HMAC_KEY is not set here, so they were not checked and a database writer could rewrite the chain.`;
  }
  if (!keyGiven) return 'Unkeyed: AUDIT_HMAC_KEY is not set, so a database writer could rewrite the chain.';
  return 'Unkeyed: no entry carries an HMAC yet, so a database writer could rewrite the chain; check it against a stated head (--expect-head).';
}

/** Verifies the whole audit hash chain. Exit codes: 0 intact, 3 broken, 1 could not check, 2 bad usage. */
export async function run(argv: string[], env: CliEnv, io: CliIo): Promise<number> {
  const args = parse(argv);
  if ('error' in args) {
    io.stderr(`${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    const hmacKey = auditKeyFromEnv(env);
    // Beside a SQLite file the bot remembers its chain head: without --expect-head, that is the anchor (a deleted file shows).
    const report = await withStore(env, (db) =>
      new AuditStore(db, { hmacKey, witness: db.sqliteFile ? new AuditWitness(witnessFileFor(db.sqliteFile)) : null }).verifyChain({ expect: args.expect }),
    );
    if (report.ok) {
      io.stdout(`Audit chain intact: ${report.checked} entries checked`);
      if (args.expect) io.stdout(`The stated head ${args.expect.seq}:${args.expect.hash.slice(0, 12)}… is in the chain, unchanged.`);
      io.stdout(keyingLine(report, hmacKey !== null));
      return 0;
    }
    io.stdout(`Audit chain BROKEN at entry ${report.brokenAt}: ${report.reason} (${report.checked} entries checked before it)`);
    io.stdout(keyingLine(report, hmacKey !== null));
    return 3;
  } catch (err) {
    io.stderr(failureMessage('Could not verify the audit chain', err));
    return 1;
  }
}

if (require.main === module) {
  // exitCode rather than exit(): lets piped output drain before the process ends.
  void run(process.argv.slice(2), process.env, processIo).then((code) => {
    process.exitCode = code;
  });
}
