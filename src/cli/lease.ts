/**
 * This process as a lease holder (pid, hostname, a fresh token) and the liveness check that
 * lets a lease left by a killed process be taken over. Only src/cli reads the process.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { LeaseOptions } from '../orchestrator/index.ts';

/** A lease without a heartbeat for this long is stale, whoever holds it (milliseconds). */
export const LEASE_STALE_MS = 60_000;

/** Whether process `pid` on this host is alive: signal 0 checks without signalling. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lease options for one command run by this process. */
export function processLease(): LeaseOptions {
  return {
    holder: { token: randomUUID(), pid: process.pid, hostname: os.hostname() },
    terms: { staleMs: LEASE_STALE_MS, isAlive: processAlive },
    heartbeatMs: LEASE_STALE_MS / 4,
  };
}
