/**
 * `blue realm pr` (seed 003 Round 12): one pull request per repo of a coordinated change
 * (the repos that have its branch), in merge order (exporters first), each description linking
 * the others and stating the order and the contract versions. The GitHub CLI runs through an
 * injected {@link ProcessRunner}; without `gh` the exact commands are returned for printing.
 */
import { UserError } from '../../core/index.ts';
import { mergeOrder } from './change-scope.ts';
import { tryGit } from './git.ts';
import { repoCheckout, type RealmModel } from './model.ts';
import { shellLine, type ProcessRunner } from './proc.ts';

/** One repo's pull request: where `gh` runs and its arguments. */
export interface PullRequestPlan {
  repo: string;
  /** Absolute checkout of the repo (gh's cwd). */
  cwd: string;
  title: string;
  body: string;
  /** Arguments of `gh` (after the program name). */
  args: string[];
}

/** The pull requests of branch `branch`, in merge order. */
export interface ChangePlan {
  branch: string;
  base: string;
  order: string[];
  prs: PullRequestPlan[];
}

/**
 * Plans the pull requests of `branch` onto `base` across the realm repos that have the branch.
 * @throws UserError E_NOT_FOUND when no repo checkout has the branch.
 */
export function planPullRequests(model: RealmModel, input: { branch: string; base?: string; title?: string }): ChangePlan {
  const base = input.base ?? 'main';
  const withBranch = [...model.repos.keys()].filter((r) => {
    const root = repoCheckout(model, r);
    return root !== undefined && tryGit(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${input.branch}`]).ok;
  });
  if (withBranch.length === 0) {
    throw new UserError('E_NOT_FOUND', `no realm repo has a branch "${input.branch}"`, { expected: '`blue realm worktree create <name>` first, or --branch NAME' });
  }
  const order = mergeOrder(model, withBranch);
  const versions = contractLines(model, order);
  const prs = order.map((repo, i): PullRequestPlan => {
    const title = `${input.title ?? input.branch} (${repo}, ${i + 1}/${order.length})`;
    const body = describe(model, input.branch, order, repo, versions);
    return { repo, cwd: repoCheckout(model, repo)!, title, body, args: ['pr', 'create', '--head', input.branch, '--base', base, '--title', title, '--body', body] };
  });
  return { branch: input.branch, base, order, prs };
}

/** What running (or printing) the plan gave, per repo in merge order. */
export interface PrOutcome {
  repo: string;
  ok: boolean;
  /** The PR URL (`gh pr create`) or state (`gh pr view`), or the error line. */
  detail: string;
}

/**
 * Opens each PR of `plan` with `gh pr create` (in merge order), or, without `gh`, returns the
 * commands to run instead.
 */
export function createPullRequests(plan: ChangePlan, runner: ProcessRunner): { ran: boolean; outcomes: PrOutcome[]; commands: string[] } {
  const commands = plan.prs.map((p) => `(cd ${shellLine(p.cwd, [])} && ${shellLine('gh', p.args)})`);
  if (!runner.has('gh')) return { ran: false, outcomes: [], commands };
  const outcomes = plan.prs.map((p): PrOutcome => {
    const r = runner.run('gh', p.args, p.cwd);
    const line = lastLine(r.code === 0 ? r.stdout : r.stderr || r.stdout);
    return { repo: p.repo, ok: r.code === 0, detail: line };
  });
  return { ran: true, outcomes, commands };
}

/** Each PR's state (`gh pr view <branch> --json state,url`), or the commands without `gh`. */
export function pullRequestStatus(plan: ChangePlan, runner: ProcessRunner): { ran: boolean; outcomes: PrOutcome[]; commands: string[] } {
  const args = ['pr', 'view', plan.branch, '--json', 'state,url'];
  const commands = plan.prs.map((p) => `(cd ${shellLine(p.cwd, [])} && ${shellLine('gh', args)})`);
  if (!runner.has('gh')) return { ran: false, outcomes: [], commands };
  const outcomes = plan.prs.map((p): PrOutcome => {
    const r = runner.run('gh', args, p.cwd);
    if (r.code !== 0) return { repo: p.repo, ok: false, detail: lastLine(r.stderr || r.stdout) };
    try {
      const j = JSON.parse(r.stdout) as { state?: string; url?: string };
      return { repo: p.repo, ok: true, detail: `${j.state ?? '?'}${j.url ? ` ${j.url}` : ''}` };
    } catch {
      return { repo: p.repo, ok: false, detail: `gh printed no JSON: ${lastLine(r.stdout)}` };
    }
  });
  return { ran: true, outcomes, commands };
}

/** `domain/contract 1.2.0 (owner a; imported by b at >=1.0.0 <2.0.0)` for contracts between `repos`. */
function contractLines(model: RealmModel, repos: string[]): string[] {
  const lines: string[] = [];
  for (const d of model.domains.values()) {
    for (const c of d.contracts.values()) {
      const users = [...d.bindings.values()].flatMap((b) => {
        const i = b.data.imports.find((x) => x.contract === c.data.name);
        return i && repos.includes(b.data.repo) ? [`${b.data.repo} at ${i.version}`] : [];
      });
      if (!repos.includes(c.data.owner) && users.length === 0) continue;
      lines.push(`${d.name}/${c.data.name} ${c.data.version} (owner ${c.data.owner}${users.length ? `; imported by ${users.join(', ')}` : ''})`);
    }
  }
  return lines;
}

function describe(model: RealmModel, branch: string, order: string[], repo: string, versions: string[]): string {
  const where = (r: string) => {
    const url = model.repos.get(r)?.data.url;
    return `${r}${url ? ` (${url})` : ''}, branch \`${branch}\``;
  };
  const step = order.indexOf(repo) + 1;
  return [
    `Coordinated realm change \`${branch}\` of realm ${model.realm.data.name}: step ${step} of ${order.length}.`,
    '',
    'Merge order (exporters before importers):',
    ...order.map((r, i) => `${i + 1}. ${where(r)}${r === repo ? ' ← this pull request' : ''}`),
    '',
    step > 1 ? `Merge after: ${order.slice(0, step - 1).join(', ')}.` : 'Merge this one first.',
    '',
    'Contract versions:',
    ...(versions.length ? versions.map((v) => `- ${v}`) : ['- (none between these repos)']),
    '',
  ].join('\n');
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
}
