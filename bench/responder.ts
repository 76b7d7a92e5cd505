/**
 * The bench's simulated experts: plausible marker text and a latency for every call, both a pure
 * function of (seed, round, expert) so a run is reproducible whatever order calls complete in.
 */
import { type Rng, seededRng } from '../src/core/index.ts';
import type { CompletionRequest } from '../src/llm/port.ts';

/** FNV-1a 32-bit hash: turns `seed:round:expert` into an RNG seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic RNG for one call; `salt` separates independent draws (text vs latency). */
export function callRng(seed: number, req: CompletionRequest, salt: string): Rng {
  return seededRng(hash32(`${seed}:${salt}:${req.meta.round ?? -1}:${req.meta.expert ?? req.meta.purpose}`));
}

/** Latency range of a simulated call, ms (inclusive lower, exclusive upper). */
export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

/** Uniform latency in `[minMs, maxMs)` ms, drawn per (round, expert). */
export function latencyFor(seed: number, range: LatencyRange): (req: CompletionRequest) => number {
  return (req) => Math.round(range.minMs + callRng(seed, req, 'latency').next() * (range.maxMs - range.minMs));
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;

const SUBJECTS = ['retry budget', 'schema migration', 'cache invalidation', 'tenant isolation', 'audit trail', 'rollout flag', 'queue backpressure', 'error taxonomy', 'API versioning', 'ownership boundary', 'cost ceiling', 'test fixture'];
const ANGLES = ['needs an explicit owner', 'should fail closed', 'belongs behind the port', 'must be observable', 'is cheaper to defer', 'needs a written contract', 'must survive a restart', 'should be reversible'];
const CLAIMS = [
  'The failure mode here is silent drift between what the code does and what the document promises.',
  'Measured on the current workload this costs little, but the cost grows with every new tenant.',
  'A smaller first step keeps the option open without committing the team to the full design.',
  'Operators need to see this state at three in the morning without reading the source.',
  'The existing tests would not catch a regression here, so the guarantee is only on paper.',
  'Two teams already made conflicting assumptions about this, which is the real risk.',
];

/** Global tension ids with labels from the prefix's `## Open tensions` list (`- T0001: label (raised by X)`). */
export function openTensionIds(system: string): string[] {
  const section = /## Open tensions\n\n((?:- T\d{4,}: .*\n?)+)/.exec(system)?.[1] ?? '';
  return [...section.matchAll(/^- (T\d{4,}):/gm)].map((m) => m[1]!);
}

/**
 * Builds `respond(req)`: 1–2 perspectives with labels drawn from a small vocabulary (some
 * repeat, as real panels do), a tension ~30% of the time, and from round 1 a
 * `[RESOLVED Txxxx]` ~40% of the time for a tension listed as open in the prompt. Never writes
 * `[MOVE:CONVERGE]`, so the gate stays closed and the dialogue runs to `maxRounds`.
 * Output is a few hundred characters ending with `---`.
 */
export function benchResponder(seed: number): (req: CompletionRequest) => string {
  return (req) => {
    const rng = callRng(seed, req, 'text');
    const round = req.meta.round ?? 0;
    const lines: string[] = [];
    const count = rng.next() < 0.5 ? 1 : 2;
    for (let i = 1; i <= count; i++) {
      lines.push(`[PERSPECTIVE P0${i}: the ${pick(rng, SUBJECTS)} ${pick(rng, ANGLES)}]`);
      lines.push(`${pick(rng, CLAIMS)} ${pick(rng, CLAIMS)}`, '');
    }
    if (rng.next() < 0.3) {
      lines.push(`[TENSION T01: ${pick(rng, SUBJECTS)} versus ${pick(rng, SUBJECTS)}]`);
      lines.push(`${pick(rng, CLAIMS)}`, '');
    }
    const open = openTensionIds(req.system.map((b) => b.text).join('\n'));
    if (round > 0 && open.length > 0 && rng.next() < 0.4) {
      lines.push(`[RESOLVED ${pick(rng, open)}: settled by the ${pick(rng, SUBJECTS)} ${pick(rng, ANGLES)}]`);
      lines.push(`${pick(rng, CLAIMS)}`, '');
    }
    lines.push('---');
    return lines.join('\n') + '\n';
  };
}
