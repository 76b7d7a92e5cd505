/**
 * Holding a dialogue's lease while a command runs it: taken before anything is read for the
 * run, its heartbeat refreshed on a timer (injected clock), given back when the run ends.
 */
import type { LeaseHolder, LeaseTerms } from '../store/index.ts';
import type { EngineDeps } from './deps.ts';

/** How a process holds leases: who it is, when a lease is stale, how often it beats. */
export interface LeaseOptions {
  holder: LeaseHolder;
  terms: LeaseTerms;
  /** Milliseconds between heartbeats; well under `terms.staleMs`. */
  heartbeatMs: number;
}

/**
 * Takes the lease on `id` (no-op without `deps.lease`) and keeps it alive.
 * @returns the function that gives it back (idempotent).
 * @throws UserError E_LEASE when another live process holds it.
 */
export function holdLease(deps: Pick<EngineDeps, 'store' | 'clock' | 'lease'>, id: string): () => void {
  const opts = deps.lease;
  if (!opts) return () => undefined;
  const store = deps.store;
  store.acquireLease(id, opts.holder, deps.clock.now(), opts.terms);
  const timer = setInterval(() => store.refreshLease(id, opts.holder.token, deps.clock.now()), opts.heartbeatMs);
  // The heartbeat never keeps a finished process alive.
  timer.unref();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    clearInterval(timer);
    store.releaseLease(id, opts.holder.token);
  };
}
