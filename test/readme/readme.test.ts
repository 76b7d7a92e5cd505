/**
 * The README runs as written: every block marked `<!-- readme-test: NAME -->` is executed with bash
 * in an empty temp directory, with `blue` on PATH pointing at this checkout; every repo path the
 * README names exists in the repo.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Code, Html } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { tempDir } from '../support.ts';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** A block spawns a dozen CLI processes; on a loaded 2-core machine that can pass 30 s. */
const BLOCK_TIMEOUT_MS = 180_000;
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The code blocks that follow a `<!-- readme-test: NAME -->` comment, by name. */
function markedBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const nodes = parseMarkdown(text).children;
  nodes.forEach((node, i) => {
    const name = node.type === 'html' ? /<!--\s*readme-test:\s*([\w-]+)\s*-->/.exec((node as Html).value)?.[1] : undefined;
    const next = nodes[i + 1];
    if (name && next?.type === 'code') blocks.set(name, (next as Code).value);
  });
  return blocks;
}

/** A folder holding a `blue` executable that runs this checkout's CLI. */
function blueOnPath(): string {
  const bin = tempDir();
  const shim = path.join(bin, 'blue');
  fs.writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/blue.js')}" "$@"\n`);
  fs.chmodSync(shim, 0o755);
  return bin;
}

describe('README', () => {
  const blocks = markedBlocks(README);

  it('marks the realm and documents walk-throughs as tested blocks', () => {
    expect([...blocks.keys()].sort()).toEqual(['documents', 'realm-walkthrough']);
  });

  /** Each tested block: the lines its output must contain, and what it leaves on disk. */
  const walkthroughs: { block: string; says: string[]; leaves: (cwd: string) => void }[] = [
    {
      block: 'realm-walkthrough',
      says: [
        'Created contract s3-access/s3-permissions 1.0.0 (owner aperture)',
        'fungal imports s3-permissions >=1.0.0 <2.0.0 (resolved 1.0.0)',
        'Bumped s3-access/s3-permissions 1.0.0 → 1.0.1; imported by fungal',
        'imported by fungal (>=1.0.0 <2.0.0, resolved 1.0.0, stale: contract is at 1.0.1)',
        's3-access/s3-permissions: models/training/s3_paths.py uncommitted; affects fungal (cdk/stack.py)',
        'Merge order: aperture → fungal',
      ],
      leaves: (cwd) => expect(fs.existsSync(path.join(cwd, 'realm-letemcook/domains/s3-access/contracts/s3-permissions.yaml'))).toBe(true),
    },
    {
      block: 'documents',
      says: [
        'to rfcs/0001-how-should-we-version-our-public-http-api.draft.md',
        'RFC 0002: draft → accepted (rfcs/0002-hybrid-storage-architecture.accepted.md)',
        'no problems found',
      ],
      leaves: (cwd) => expect(fs.readdirSync(path.join(cwd, 'adrs'))).toEqual(['0001-use-sqlite-for-dialogue-state.draft.md']),
    },
  ];

  for (const w of walkthroughs) {
    it(`runs the ${w.block} block literally in an empty directory`, () => {
      const { cwd, r } = runBlock(blocks.get(w.block));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const line of w.says) expect(r.stdout).toContain(line);
      w.leaves(cwd);
    }, BLOCK_TIMEOUT_MS);
  }

  /** Runs `block` with bash (`-euo pipefail`) in a fresh temp dir, `blue` on PATH. */
  function runBlock(block: string | undefined): { cwd: string; r: SpawnSyncReturns<string> } {
    const cwd = tempDir();
    const env = {
      ...process.env,
      PATH: `${blueOnPath()}${path.delimiter}${process.env.PATH ?? ''}`,
      GIT_AUTHOR_NAME: 'Readme Test',
      GIT_AUTHOR_EMAIL: 'readme@example.com',
      GIT_COMMITTER_NAME: 'Readme Test',
      GIT_COMMITTER_EMAIL: 'readme@example.com',
    };
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', block ?? 'false'], { cwd, env, encoding: 'utf8', timeout: BLOCK_TIMEOUT_MS });
    return { cwd, r };
  }

  it('names only repo paths that exist (the quick start replays a bundled fixture)', () => {
    const paths = [...README.matchAll(/(?:^|\s)((?:fixtures|examples|pools|docs)\/[\w./-]+)/gm)].map((m) => m[1]!.replace(/[.,)]+$/, ''));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !p.includes('<') && !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
