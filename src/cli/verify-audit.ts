import { AuditStore } from '../store';
import { failureMessage, processIo, withStore, type CliEnv, type CliIo } from './io';

const USAGE = 'usage: npm run audit:verify   (reads DATABASE_URL; exit 0 intact, 3 broken, 1 error, 2 usage)';

/** Verifies the whole audit hash chain. Exit codes: 0 intact, 3 broken, 1 could not check, 2 bad usage. */
export async function run(argv: string[], env: CliEnv, io: CliIo): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.stdout(USAGE);
    return 0;
  }
  if (argv.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    const result = await withStore(env, (db) => new AuditStore(db).verifyChain());
    if (result.ok) {
      io.stdout(`Audit chain intact: ${result.checked} entries checked`);
      return 0;
    }
    io.stdout(`Audit chain BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.checked} entries checked before it)`);
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
