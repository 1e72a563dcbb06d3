import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEvidencePack } from '../requests/evidence-pack';
import { AuditStore, RequestsStore } from '../store';
import { auditKeyFromEnv, CliError, failureMessage, processIo, withStore, type CliEnv, type CliIo } from './io';

const USAGE = 'usage: npm run evidence -- <requestId> [--out <dir>]';
/** newRequestId()'s shape; checked before the id becomes part of a file name. */
const REQUEST_ID = /^R[A-Z2-7]{10}$/;

type Parsed = { help: true } | { help: false; id: string; out: string } | { error: string };

function parse(argv: string[]): Parsed {
  let out: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--out') {
      const dir = argv[++i];
      if (dir === undefined || dir === '') return { error: '--out needs a folder' };
      out = dir;
    } else if (arg.startsWith('--out=')) {
      out = arg.slice('--out='.length);
      if (out === '') return { error: '--out needs a folder' };
    } else if (arg.startsWith('-')) {
      return { error: `unknown option ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  const [id, ...extra] = positional;
  if (id === undefined) return { error: 'the request id is missing' };
  if (extra.length) return { error: `unexpected argument ${extra[0]}` };
  return { help: false, id, out: out ?? '.' };
}

/**
 * Writes `<out>/<id>.md` and `<out>/<id>.json` for one request and prints both paths.
 * Exit codes: 0 written, 1 unknown request or failure, 2 bad usage.
 */
export async function run(argv: string[], env: CliEnv, io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const args = parse(argv);
  if ('error' in args) {
    io.stderr(`${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  const { id, out } = args;
  if (!REQUEST_ID.test(id)) {
    io.stderr(`No request ${id}: request ids are R followed by 10 letters or digits (e.g. RABCDEFGH23).`);
    return 1;
  }
  try {
    // The pack states whether the chain verified with the key, so it checks what the bot wrote.
    const hmacKey = auditKeyFromEnv(env);
    const pack = await withStore(env, async (db) => {
      const request = await new RequestsStore(db).get(id);
      if (!request) throw new CliError(`No request ${id} in this database.`);
      const audit = new AuditStore(db, { hmacKey });
      const entries = await audit.listForRequest(id);
      return buildEvidencePack({ request, audit: entries, chain: await audit.verifyChain(), generatedAt: now() });
    });
    mkdirSync(out, { recursive: true });
    const md = path.join(out, `${id}.md`);
    const json = path.join(out, `${id}.json`);
    writeFileSync(md, pack.markdown);
    writeFileSync(json, `${JSON.stringify(pack.json, null, 2)}\n`);
    io.stdout(md);
    io.stdout(json);
    return 0;
  } catch (err) {
    io.stderr(failureMessage('Could not export the evidence pack', err));
    return 1;
  }
}

if (require.main === module) {
  // exitCode rather than exit(): lets piped output drain before the process ends.
  void run(process.argv.slice(2), process.env, processIo).then((code) => {
    process.exitCode = code;
  });
}
