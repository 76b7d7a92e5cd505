/**
 * After a sync that changes contracts other repos import (seed 004 Round 6), one GitHub issue
 * per affected importer through `gh issue create`, naming the binding file to update. Built
 * here as data; src/cli decides whether to open them (`--open-issues`, or a prompt on a TTY).
 */
import type { RealmModel } from './model.ts';
import { repoCheckout } from './model.ts';
import type { ProcessRunner } from './proc.ts';
import { shellLine } from './proc.ts';
import { consumersOf } from './repo-status.ts';
import type { SyncResult } from './sync.ts';

/** One issue to open in an importer's repo. */
export interface IssuePlan {
  repo: string;
  /** gh's cwd: the importer's checkout when it exists (gh finds the GitHub repo from its remote). */
  cwd: string | undefined;
  title: string;
  /** Arguments of `gh` after the program name. */
  args: string[];
}

/** The issues for the contract changes of `sync` made by `fromRepo`. Pure apart from locating checkouts. */
export function planImportIssues(model: RealmModel, sync: Pick<SyncResult, 'changes'>, fromRepo: string): IssuePlan[] {
  const plans: IssuePlan[] = [];
  for (const c of sync.changes) {
    for (const consumer of consumersOf(model, c.domain, c.contract).filter((x) => x.repo !== fromRepo)) {
      const file = consumer.binding || `(no binding file recorded in domains/${c.domain}/bindings/${consumer.repo}.yaml)`;
      const title = `Update ${consumer.binding || 'the binding'} for ${c.domain}/${c.contract} ${c.to}`;
      const body = [
        `${fromRepo} changed contract ${c.domain}/${c.contract} (${c.kind}) ${c.from ? `${c.from} → ` : ''}${c.to} in realm ${model.realm.data.name}.`,
        '',
        `Binding file to update: \`${file}\``,
        '',
        `Then run \`blue realm binding import ${c.contract} --domain ${c.domain} --version "<range>"${consumer.binding ? ` --binding ${consumer.binding}` : ''}\` and \`blue realm sync\`.`,
        '',
      ].join('\n');
      const url = model.repos.get(consumer.repo)?.data.url;
      const repoFlag = url && /github\.com[/:]/.test(url) ? ['--repo', url.replace(/^git@github\.com:/, 'github.com/').replace(/\.git$/, '')] : [];
      plans.push({ repo: consumer.repo, cwd: repoCheckout(model, consumer.repo), title, args: ['issue', 'create', ...repoFlag, '--title', title, '--body', body] });
    }
  }
  return plans;
}

/** Opens each issue with `gh` (or returns the commands when `gh` is missing), in order. */
export function openIssues(plans: IssuePlan[], runner: ProcessRunner, fallbackCwd: string): { ran: boolean; lines: string[] } {
  if (!runner.has('gh')) return { ran: false, lines: plans.map((p) => (p.cwd ? `(cd ${shellLine(p.cwd, [])} && ${shellLine('gh', p.args)})` : shellLine('gh', p.args))) };
  const lines = plans.map((p) => {
    const r = runner.run('gh', p.args, p.cwd ?? fallbackCwd);
    const last = (r.code === 0 ? r.stdout : r.stderr || r.stdout).trim().split('\n').pop() ?? '';
    return r.code === 0 ? `Opened issue in ${p.repo}: ${last || p.title}` : `Could not open the issue in ${p.repo}: ${last}`;
  });
  return { ran: true, lines };
}
