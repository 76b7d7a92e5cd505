/**
 * A repo's realm status as data, read-only (what `blue realm status --json` prints): the
 * realm's merged state (realm-view.ts), every contract with this repo's role in it and the
 * version pending on this repo's own unmerged sync branch, and the notifications not
 * acknowledged yet plus changes that reached main and are not recorded yet. Nothing is marked
 * seen; the MCP `realm_status` tool uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_RELATIVE_PATH, NotificationsRepo } from '../../store/index.ts';
import { mainChanges, unrecorded } from './main-changes.ts';
import type { RealmModel } from './model.ts';
import { type RealmNotification, peekUnseen } from './notify.ts';
import { openRealm } from './realm.ts';
import { realmView, type RealmView } from './realm-view.ts';

/** One contract as this repo sees it. `resolved` is the imported version, for importers. */
export interface ContractStatus {
  domain: string;
  name: string;
  version: string;
  owner: string;
  role: 'owner' | 'importer' | 'member';
  resolved: string | undefined;
  /** The version on this repo's unmerged sync branch, when it differs (not the realm's yet). */
  pending_version?: string;
}

/** The realm status of a repo. */
export interface RealmStatus {
  realm: string;
  repo: string;
  /** The ref the state was read from (`origin/main`), or `HEAD` for a realm without a remote. */
  ref: string;
  /** This repo's unmerged sync branch and the files it changes. */
  pending?: { branch: string; files: string[] };
  /** Set when fetching failed and the last fetched state is shown. */
  fetch_error?: string;
  contracts: ContractStatus[];
  notifications: Omit<RealmNotification, 'id' | 'created_at'>[];
}

/**
 * Reads the realm status of the repo at `repoRoot` (in realm `chosen`, when it joined several); opens
 * the database only when it exists.
 * Writes nothing but git's remote-tracking refs (fetch).
 * @throws UserError E_REALM / E_NOT_FOUND when the repo has not joined a realm.
 */
export function realmStatus(repoRoot: string, chosen?: string): RealmStatus {
  const { model: checkout, repo } = openRealm(repoRoot, { realm: chosen });
  const view = realmView(checkout, repo);
  const realm = view.model.realm.data.name;
  const log = fs.existsSync(path.join(repoRoot, DB_RELATIVE_PATH)) ? NotificationsRepo.open(repoRoot) : undefined;
  let notifications: RealmStatus['notifications'];
  try {
    const fresh = unrecorded(log, realm, repo, mainChanges(view, repo));
    notifications = [
      ...(log ? peekUnseen(log, realm, repo) : []),
      ...fresh.map((c) => ({ realm, repo, domain: c.domain, contract: c.contract, kind: c.kind, from_version: c.from ?? null, to_version: c.to, from_repo: c.fromRepo ?? null, seen_at: null })),
    ];
  } finally {
    log?.close();
  }
  return statusOf(view, repo, notifications);
}

/** The status of `repo` in `view` with `notifications`. Pure. */
export function statusOf(view: RealmView, repo: string, notifications: RealmStatus['notifications']): RealmStatus {
  const model = view.model;
  const out: RealmStatus = { realm: model.realm.data.name, repo, ref: view.mainRef, contracts: contractsOf(model, repo, view.pending?.model), notifications };
  if (view.pending) out.pending = { branch: view.pending.branch, files: view.pending.files };
  if (view.fetchError) out.fetch_error = view.fetchError;
  return out;
}

function contractsOf(model: RealmModel, repo: string, pending: RealmModel | undefined): ContractStatus[] {
  return [...model.domains.values()].flatMap((d) =>
    [...d.contracts.values()].map((c): ContractStatus => {
      const imp = d.bindings.get(repo)?.data.imports.find((i) => i.contract === c.data.name);
      const role = c.data.owner === repo ? 'owner' : imp ? 'importer' : 'member';
      const next = pending?.domains.get(d.name)?.contracts.get(c.data.name)?.data.version;
      const s: ContractStatus = { domain: d.name, name: c.data.name, version: c.data.version, owner: c.data.owner, role, resolved: imp?.resolved_version };
      if (next && next !== c.data.version) s.pending_version = next;
      return s;
    }),
  );
}
