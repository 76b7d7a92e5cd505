/**
 * `governance.admission` of realm.yaml, enforced. Under `approval` (or `invite-only`) with
 * `governance.approvers` listed, a `join` writes the repo's `repos/<r>.yaml` but makes it a
 * request: the repo is a member only once an approver admits it, which the approver records in
 * its own `repos/<approver>.yaml` (`admitted: [r]`), a file only the approver publishes. An
 * approver is a member by being listed. With no approvers listed nobody can be asked, so
 * joining is open (as init writes it), the same rule as breaking-change approval.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { realmPaths, type RealmModel } from './model.ts';
import type { RepoFile } from './schemas.ts';
import { writeYamlFile } from './yaml-io.ts';

/** The approvers whose admission `repo` still waits for, or undefined when it is a member. Pure. */
export function pendingAdmission(model: RealmModel, repo: string): string[] | undefined {
  const g = model.realm.data.governance;
  const approvers = g?.approvers ?? [];
  if (!g || g.admission === 'open' || approvers.length === 0 || approvers.includes(repo)) return undefined;
  const admitted = approvers.some((a) => model.repos.get(a)?.data.admitted?.includes(repo));
  return admitted ? undefined : approvers;
}

/** The one-line refusal for a repo whose join is pending. */
export function pendingError(model: RealmModel, repo: string, approvers: string[]): UserError {
  return new UserError('E_REALM', `the join of "${repo}" to realm "${model.realm.data.name}" is pending: it is not a member until an approver (${approvers.join(', ')}) accepts it`, {
    where: { file: realmPaths.repo(repo) },
    expected: `\`blue realm admit ${repo}\` run in ${approvers.join(' or ')}`,
  });
}

/**
 * Throws unless `repo` is an admitted member (not a pending join).
 * @throws UserError E_REALM naming who can accept the join.
 */
export function assertAdmitted(model: RealmModel, repo: string): void {
  const waiting = pendingAdmission(model, repo);
  if (waiting) throw pendingError(model, repo, waiting);
}

/**
 * `actor` (an approver) admits `repo`: recorded in the actor's own `repos/<actor>.yaml`.
 * @throws UserError E_REALM when `actor` is not an approver, `repo` has not asked to join, or
 *   it is already a member.
 */
export function admitRepo(model: RealmModel, input: { repo: string; actor: string }): void {
  const approvers = model.realm.data.governance?.approvers ?? [];
  if (!approvers.includes(input.actor)) {
    throw new UserError('E_REALM', `repo "${input.actor}" may not admit repos to realm "${model.realm.data.name}"`, {
      where: { file: realmPaths.realm, field: 'governance.approvers' },
      expected: approvers.length ? `one of ${approvers.join(', ')}` : 'an approver listed in governance.approvers',
    });
  }
  if (!model.repos.has(input.repo)) {
    throw new UserError('E_REALM', `repo "${input.repo}" has not asked to join realm "${model.realm.data.name}"`, { expected: 'its `blue realm join` first' });
  }
  if (!pendingAdmission(model, input.repo)) throw new UserError('E_REALM', `repo "${input.repo}" is already a member of realm "${model.realm.data.name}"`);
  const own = model.repos.get(input.actor)!;
  const file: RepoFile = { ...own.data, admitted: [...new Set([...(own.data.admitted ?? []), input.repo])].sort() };
  writeYamlFile(path.join(model.root, own.rel), file, own.doc);
}
