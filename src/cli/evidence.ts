import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEvidencePack, evidencePackMarkdown } from '../requests/evidence-pack';
import { AuditStore, RequestsStore } from '../store';
import { processIo, withStore, type CliIo } from './io';

const USAGE = 'usage: npm run evidence -- <request id> [--out <dir>]';

/** Writes `<out>/<id>.md` and `<out>/<id>.json` for one request. Returns the exit code. */
export async function run(argv: string[], env: Record<string, string | undefined>, io: CliIo, now = new Date()): Promise<number> {
  const args = [...argv];
  let out = '.';
  const at = args.indexOf('--out');
  if (at >= 0) {
    const dir = args[at + 1];
    if (!dir) {
      io.stderr(USAGE);
      return 2;
    }
    out = dir;
    args.splice(at, 2);
  }
  const [id, ...extra] = args;
  if (!id || extra.length > 0 || !/^R[A-Z2-7]{10}$/.test(id)) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    return await withStore(env, async (db) => {
      const request = await new RequestsStore(db).get(id);
      if (!request) {
        io.stderr(`No request ${id} in this database.`);
        return 1;
      }
      const audit = new AuditStore(db);
      const pack = buildEvidencePack({ request, audit: await audit.listForRequest(id), chain: await audit.verifyChain(), generatedAt: now });
      mkdirSync(out, { recursive: true });
      const md = path.join(out, `${id}.md`);
      const json = path.join(out, `${id}.json`);
      writeFileSync(md, evidencePackMarkdown(pack));
      writeFileSync(json, `${JSON.stringify(pack, null, 2)}\n`);
      io.stdout(md);
      io.stdout(json);
      return 0;
    });
  } catch (err) {
    io.stderr(`Could not export the evidence pack: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2), process.env, processIo).then((code) => process.exit(code));
}
