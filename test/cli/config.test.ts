/** `.blue/config.yaml`: settings are applied, and a bad file is one line with file:line and field, exit 2. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/orchestrator/index.ts';
import { tempDir, testContext } from '../orchestrator/helpers.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');

function withConfig(text: string): string {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, '.blue'));
  fs.writeFileSync(path.join(cwd, '.blue', 'config.yaml'), text);
  return cwd;
}

describe('.blue/config.yaml', () => {
  it('reads the bookkeeping thresholds (docs/scoring.md)', () => {
    expect(loadConfig(withConfig('bookkeeping:\n  mergeThreshold: 0.7\n  confirmOnConverge: false\n'))).toEqual({ bookkeeping: { mergeThreshold: 0.7, confirmOnConverge: false } });
  });

  it('is read and validated', () => {
    const cfg = loadConfig(withConfig('# team defaults\nmaxRounds: 6\nmodels:\n  expert: claude-opus-5-5\n  tiers:\n    Wildcard: claude-haiku-5-5\nconcurrency: 4\n'));
    expect(cfg).toEqual({ maxRounds: 6, models: { expert: 'claude-opus-5-5', tiers: { Wildcard: 'claude-haiku-5-5' } }, concurrency: 4 });
  });

  it('reads the answer limits, thinking per role and the cache lifetime', () => {
    const cfg = loadConfig(withConfig('roles:\n  expert: { words: 250, thinking: between_tools, effort: low }\n  judge:\n    budgetTokens: 2048\ncacheTtl: 1h\n'));
    expect(cfg).toEqual({ roles: { expert: { words: 250, thinking: 'between_tools', effort: 'low' }, judge: { budgetTokens: 2048 } }, cacheTtl: '1h' });
  });

  it.each([
    ['roles:\n  expert:\n    effort: extreme\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:3:13 roles\.expert\.effort: /],
    ['cacheTtl: 2h\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:1:11 cacheTtl: /],
    ['panelSize: 4\nbogus: 1\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:2:1 bogus: Unrecognized key/],
    ['models:\n  expert: 3\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:2:11 models\.expert: .*expected string/],
    ['panelSize: [\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:2:1: /],
    ['bookkeeping:\n  mergeThreshold: 1.5\n', /^error\[E_CONFIG\] \.blue\/config\.yaml:2:19 bookkeeping\.mergeThreshold: /],
  ])('refuses %j with one line and exit 2, creating nothing', async (text, pattern) => {
    const cwd = withConfig(text);
    const ctx = testContext(cwd);
    expect(await main(['dialogue', 'start', 'How should we version our public HTTP API?', '--provider', 'replay', '--replay', EXAMPLE], ctx)).toBe(2);
    expect(ctx.err()).toMatch(pattern);
    expect(ctx.err().trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
  });

  it('supplies the defaults a run uses (max rounds here)', async () => {
    const cwd = withConfig('maxRounds: 2\nminRounds: 2\n');
    const ctx = testContext(cwd);
    expect(await main(['dialogue', 'start', 'How should we version our public HTTP API?', '--provider', 'replay', '--replay', EXAMPLE, '--quiet'], ctx)).toBe(3);
    expect(ctx.out()).toContain('FORCED');
  });
});
