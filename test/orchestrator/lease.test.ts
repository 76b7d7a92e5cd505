/** Dialogue leases in the store: when a held lease counts as stale, and take / refresh / release by token. */
import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../support.ts';
import { DialogueStore, type LeaseRow, acquireLease, leaseOf, openDatabase, refreshLease, releaseLease, staleReason } from '../../src/store/index.ts';

const me = { token: 'me', pid: 100, hostname: 'here' };
const other = { token: 'other', pid: 200, hostname: 'here' };
const alive = { staleMs: 60_000, isAlive: () => true };
const t = (s: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + s * 1000);

function db() {
  const d = openDatabase(':memory:');
  new DialogueStore(d).insertDialogue({ id: 'd1', title: 't', question: 'q', status: 'open', dir: 'dialogues/d1', settings_json: '{}', pool_json: '{}', created_at: 'x', updated_at: 'x' });
  return d;
}

describe('staleReason', () => {
  const row: LeaseRow = { dialogue_id: 'd1', ...other, acquired_at: t(0).toISOString(), heartbeat_at: t(0).toISOString() };
  it('a fresh heartbeat of a live process is not stale', () => expect(staleReason(row, me, t(60), alive)).toBeNull());
  it('a heartbeat older than the limit is stale, on any host', () => expect(staleReason({ ...row, hostname: 'far' }, me, t(61), alive)).toBe('no heartbeat for 61s'));
  it('a dead pid on this host is stale at once', () => expect(staleReason(row, me, t(1), { ...alive, isAlive: (pid) => pid !== 200 })).toBe('pid 200 is not running'));
  it("another host's pid is never checked", () => expect(staleReason({ ...row, hostname: 'far' }, me, t(1), { ...alive, isAlive: () => false })).toBeNull());
});

describe('acquireLease / refreshLease / releaseLease', () => {
  it('a second holder is refused with E_LEASE naming pid, host and since when', () => {
    const d = db();
    acquireLease(d, 'd1', other, t(0), alive);
    const err = thrownUserError(() => acquireLease(d, 'd1', me, t(10), alive));
    expect(err.code).toBe('E_LEASE');
    expect(err.message).toBe('dialogue d1 is being run by pid 200 on here since 2026-11-21T10:00:00.000Z (last heartbeat 2026-11-21T10:00:00.000Z)');
  });

  it('a heartbeat keeps it; without one it is taken over, and the old holder can neither refresh nor release it', () => {
    const d = db();
    acquireLease(d, 'd1', other, t(0), alive);
    expect(refreshLease(d, 'd1', 'other', t(50))).toBe(true);
    expect(() => acquireLease(d, 'd1', me, t(100), alive)).toThrow(/pid 200/);
    const taken = acquireLease(d, 'd1', me, t(111), alive);
    expect(taken.tookOver?.reason).toBe('no heartbeat for 61s');
    expect(refreshLease(d, 'd1', 'other', t(112))).toBe(false);
    releaseLease(d, 'd1', 'other');
    expect(leaseOf(d, 'd1')?.token).toBe('me');
    releaseLease(d, 'd1', 'me');
    expect(leaseOf(d, 'd1')).toBeUndefined();
  });
});
