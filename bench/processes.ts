/**
 * The benches' process plumbing: each figure belongs to the one process it describes, so the
 * stand-ins and each bot run in processes of their own, forked from the bench's own file and
 * spoken to by `{ kind }` messages.
 */
import { fork, type ChildProcess } from 'node:child_process';

/**
 * Forks `file` with `role` as its argument, a heap of `heapMb`, the bench's environment plus `env`.
 * Bot processes also take BENCH_BOT_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
export function startProcess(file: string, role: 'serve' | 'bot', env: Record<string, string>, heapMb = 4096): ChildProcess {
  const extra = role === 'bot' ? (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
  return fork(file, [role], {
    execArgv: [...process.execArgv, `--max-old-space-size=${heapMb}`, ...extra],
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

/** The child's next message of `kind`; rejects if the child exits first. */
export function nextMessage<T extends { kind: string }>(child: ChildProcess, kind: T['kind']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { kind: string }) => {
      if (m.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a bench process exited (${code}) before answering "${kind}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends `msg` and waits for the answer of `kind`. */
export function askProcess<T extends { kind: string }>(child: ChildProcess, msg: object, kind: T['kind']): Promise<T> {
  const answer = nextMessage<T>(child, kind);
  child.send(msg);
  return answer;
}

/** Disconnects the child (it stops itself on 'disconnect') and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  await exited;
}
