import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listIndexed } from '../../src/realm/documents/index.ts';
import { openDatabase } from '../../src/store/db.ts';
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
    openDatabase(root).close(); // migrate once so the workers race on numbering, not on the schema
    const numbers = await Promise.all(['alpha', 'beta', 'gamma', 'delta'].map((t) => runWorker(root, `RFC ${t}`)));
    expect(numbers.map(Number).sort()).toEqual([1, 2, 3, 4]);
    expect(ls(root, 'rfcs')).toHaveLength(4);
    expect(listIndexed(openDatabase(root), 'rfc').map((d) => d.number)).toEqual([1, 2, 3, 4]);
  });
});
