import { describe, expect, it } from 'vitest';
import { renderVerdict, type VerdictView } from '../../src/markdown/index.ts';
import { forcedVerdict, verdict } from './fixtures.ts';

describe('renderVerdict', () => {
  const cases: [VerdictView['outcome'], string][] = [
    ['converged', '# Verdict: CONVERGED — Local-Production Parity'],
    ['forced', '# Verdict: FORCED (max rounds reached without convergence) — Local-Production Parity'],
    ['recording_exhausted', '# Verdict: RECORDING EXHAUSTED — Local-Production Parity'],
    ['budget_exhausted', '# Verdict: BUDGET EXHAUSTED — Local-Production Parity'],
    ['failed', '# Verdict: FAILED — Local-Production Parity'],
    ['cancelled', '# Verdict: CANCELLED — Local-Production Parity'],
  ];
  for (const [outcome, first] of cases) {
    it(`names the ${outcome} outcome on the first line`, () => {
      expect(renderVerdict({ ...verdict, outcome }).split('\n')[0]).toBe(first);
    });
  }

  it('lists open tensions only when some remain', () => {
    expect(renderVerdict(verdict)).not.toContain('## Open Tensions');
    expect(renderVerdict(forcedVerdict)).toContain('## Open Tensions\n\n| ID    | Tension');
  });

  it('demotes headings inside the answer below ## Answer', () => {
    const md = renderVerdict({ ...verdict, answer: '# Short\n\nYes.' });
    expect(md).toContain('## Answer\n\n### Short\n\nYes.');
  });

  it('omits the signals sentence when the view has no final signals', () => {
    const { finalSignals: _dropped, ...rest } = verdict;
    expect(renderVerdict(rest).trimEnd().split('\n').at(-1)).toBe(
      'Converged: 9 experts consulted over 3 rounds. Velocity = 0. Converge = 100%. 4/5 tensions resolved.',
    );
  });
});
