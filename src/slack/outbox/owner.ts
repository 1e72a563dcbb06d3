import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A lease owner id: host, process id and a random part, so every process start is a new owner. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * True when `owner` was a process on this host that no longer runs: its leases can be taken at
 * once instead of waiting for them to run out (a bot restarted after kill -9 would otherwise
 * wait a whole lease before sending anything queued behind the row it was delivering). Owners on
 * other hosts, or of a different form, are never judged: their leases simply expire.
 */
export function isDeadLocalOwner(
  owner: string,
  self: { host: string; pid: number; owner: string } = { host: hostname(), pid: process.pid, owner: '' },
): boolean {
  if (owner === self.owner) return false;
  const parts = /^(.*):(\d+):([0-9a-f]{8})$/.exec(owner);
  if (!parts || parts[1] !== self.host) return false;
  const pid = Number(parts[2]);
  // Same pid but another owner id: an earlier process that had this pid (a container restarts as pid 1).
  if (pid === self.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
