/**
 * Dialogue leases: at most one process runs (starts, resumes, steers) a dialogue at a time.
 * A lease is a row naming its holder (pid, hostname) with a heartbeat; it is free when absent,
 * when its heartbeat is older than the stale limit, or when its holder is on this host and no
 * longer alive. Taking one is a single IMMEDIATE transaction, so two processes cannot both win.
 */
import { UserError } from '../core/index.ts';
import type { Db } from './db.ts';

/** Who asks for a lease. `token` tells this holder's row apart from any other's. */
export interface LeaseHolder {
  token: string;
  pid: number;
  hostname: string;
}

/** A row of `dialogue_leases` (timestamps are ISO 8601). */
export interface LeaseRow {
  dialogue_id: string;
  token: string;
  pid: number;
  hostname: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** What deciding whether a held lease is stale needs. */
export interface LeaseTerms {
  /** A heartbeat older than this many milliseconds is stale. */
  staleMs: number;
  /** Whether a process on this host is alive (an injected effect: `process.kill(pid, 0)`). */
  isAlive: (pid: number) => boolean;
}

/**
 * Why a held lease may be taken over, or null when its holder still counts as running.
 * Pure: `now` and liveness are given.
 */
export function staleReason(row: LeaseRow, holder: LeaseHolder, now: Date, terms: LeaseTerms): string | null {
  const age = now.getTime() - Date.parse(row.heartbeat_at);
  if (!(age <= terms.staleMs)) return `no heartbeat for ${Math.round(age / 1000)}s`;
  if (row.hostname === holder.hostname && !terms.isAlive(row.pid)) return `pid ${row.pid} is not running`;
  return null;
}

/**
 * Takes the lease on `dialogueId` for `holder`, taking over a stale one.
 * @returns the lease taken and, when it replaced a stale one, that row and why.
 * @throws UserError E_LEASE naming the holder (pid, host, since when) when another live process holds it.
 */
export function acquireLease(db: Db, dialogueId: string, holder: LeaseHolder, now: Date, terms: LeaseTerms): { lease: LeaseRow; tookOver?: { from: LeaseRow; reason: string } } {
  const take = db.transaction(() => {
    const held = db.prepare('SELECT * FROM dialogue_leases WHERE dialogue_id = ?').get(dialogueId) as LeaseRow | undefined;
    const reason = held ? staleReason(held, holder, now, terms) : null;
    if (held && reason === null) throw leaseHeld(held);
    const at = now.toISOString();
    const lease: LeaseRow = { dialogue_id: dialogueId, ...holder, acquired_at: at, heartbeat_at: at };
    db.prepare(
      `INSERT INTO dialogue_leases (dialogue_id,token,pid,hostname,acquired_at,heartbeat_at) VALUES (@dialogue_id,@token,@pid,@hostname,@acquired_at,@heartbeat_at)
       ON CONFLICT(dialogue_id) DO UPDATE SET token=excluded.token, pid=excluded.pid, hostname=excluded.hostname, acquired_at=excluded.acquired_at, heartbeat_at=excluded.heartbeat_at`,
    ).run(lease);
    return held && reason ? { lease, tookOver: { from: held, reason } } : { lease };
  });
  return take.immediate();
}

/** Refreshes the heartbeat of `token`'s lease. @returns false when the lease is no longer this holder's. */
export function refreshLease(db: Db, dialogueId: string, token: string, now: Date): boolean {
  return db.prepare('UPDATE dialogue_leases SET heartbeat_at = ? WHERE dialogue_id = ? AND token = ?').run(now.toISOString(), dialogueId, token).changes === 1;
}

/** Gives the lease back (only `token`'s own row is removed). */
export function releaseLease(db: Db, dialogueId: string, token: string): void {
  db.prepare('DELETE FROM dialogue_leases WHERE dialogue_id = ? AND token = ?').run(dialogueId, token);
}

/** The lease on a dialogue, if any. */
export function leaseOf(db: Db, dialogueId: string): LeaseRow | undefined {
  return db.prepare('SELECT * FROM dialogue_leases WHERE dialogue_id = ?').get(dialogueId) as LeaseRow | undefined;
}

function leaseHeld(row: LeaseRow): UserError {
  return new UserError('E_LEASE', `dialogue ${row.dialogue_id} is being run by pid ${row.pid} on ${row.hostname} since ${row.acquired_at} (last heartbeat ${row.heartbeat_at})`, {
    expected: 'one process per dialogue: wait for it to finish or stop it',
  });
}
