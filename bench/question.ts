/** The design question every bench run asks. */
export const BENCH_QUESTION =
  'Should the job scheduler move from a single Postgres-backed queue to per-tenant queues, and what must be true about retries, ordering and observability before we switch?';
