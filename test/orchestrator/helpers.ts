/** Shared helpers for the orchestrator tests: fixture path, CLI context, engine wiring. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureContext, tempDir } from '../support.ts';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import type { Pool, PoolExpert } from '../../src/experts/types.ts';
import type { LlmProvider } from '../../src/llm/port.ts';
import { DEFAULT_SETTINGS, type DialogueSettings, type EngineDeps } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { readGolden as readSharedGolden } from '../golden.ts';
import { RFC_0058 } from '../fixture-paths.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** The real recorded blue dialogue shared by every engineer (sibling of the repo). */
export const FIXTURE = RFC_0058;

/** The question the fixture dialogue was asked. */
export const FIXTURE_QUESTION = 'Should RFC 0058 be superseded by a hybrid relational + DynamoDB architecture?';

/** Golden files of this area. */
export const GOLDEN_DIR = path.resolve(HERE, '../golden/orchestrator');

export { tempDir } from '../support.ts';

/** A CLI context over `cwd` with captured output and a fixed clock. */
export function testContext(cwd: string, env: Record<string, string | undefined> = {}): ReturnType<typeof captureContext> {
  return captureContext(cwd, { env });
}

/** sha256 of every file under `dir`, keyed by relative path. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** The golden file `orchestrator/<name>` (see test/golden.ts). */
export function readGolden(name: string, actual: string): string {
  return readSharedGolden(`orchestrator/${name}`, actual);
}

/** A pool of `n` experts of one tier (roles `Role 1`…`Role n`). */
export function makePool(n: number, tier: PoolExpert['tier'] = 'Core', extra: PoolExpert[] = []): Pool {
  const experts: PoolExpert[] = Array.from({ length: n }, (_, i) => ({ role: `Role ${i + 1}`, tier, relevance: 0.5, focus: `focus area ${i + 1}` }));
  return { name: 'test', domain: 'Testing', experts: [...experts, ...extra] };
}

/** Engine dependencies over a fresh temp workspace with a file-backed store. */
export function engine(provider: LlmProvider, root = tempDir()): EngineDeps & { root: string; store: DialogueStore } {
  return { root, store: new DialogueStore(openDatabase(root)), provider, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(7) };
}

/** Settings for engine tests: no judge, rotation none unless overridden. */
export function settings(over: Partial<DialogueSettings> = {}): DialogueSettings {
  return { ...DEFAULT_SETTINGS, provider: 'replay', judge: false, seed: 7, rotation: 'none', panelSize: 3, ...over };
}
