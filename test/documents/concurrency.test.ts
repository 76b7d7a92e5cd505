import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
import { here, ls, tmpRoot } from './helpers.ts';

function runWorker(root: string, title: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'create-worker.ts'), root, title], { cwd: path.resolve(here, '../..') });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

describe('concurrent create', () => {
  it('four processes creating at once get four distinct numbers', async () => {
    const root = tmpRoot();
    openDocIndex(root).close(); // migrate once so the workers race on numbering, not on the schema
    const numbers = await Promise.all(['alpha', 'beta', 'gamma', 'delta'].map((t) => runWorker(root, `RFC ${t}`)));
    expect(numbers.map(Number).sort()).toEqual([1, 2, 3, 4]);
    expect(ls(root, 'rfcs')).toHaveLength(4);
    expect(openDocIndex(root).list('rfc').map((d) => d.number)).toEqual([1, 2, 3, 4]);
  });
});
