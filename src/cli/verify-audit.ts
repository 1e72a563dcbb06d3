import { AuditStore } from '../store';
import { processIo, withStore, type CliIo } from './io';

/** Verifies the whole audit hash chain: exit 0 when intact, 3 when broken. */
export async function run(env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  try {
    const result = await withStore(env, (db) => new AuditStore(db).verifyChain());
    if (result.ok) {
      io.stdout(`Audit chain intact: ${result.checked} entries checked.`);
      return 0;
    }
    io.stdout(`Audit chain BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.checked} entries checked before it).`);
    return 3;
  } catch (err) {
    io.stderr(`Could not verify the audit chain: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void run(process.env, processIo).then((code) => process.exit(code));
}
