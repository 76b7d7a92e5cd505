/**
 * A repo's realm status as data, read-only (what `blue realm status --json` prints): the realm,
 * every contract with this repo's role in it, and the notifications not seen yet plus stale
 * imports not recorded yet. Nothing is marked seen; the MCP `realm_status` tool uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_RELATIVE_PATH, openDatabase } from '../../store/db.ts';
import { type RealmNotification, isRecorded, peekUnseen, staleImportChanges } from './notify.ts';
import { openRealm } from './realm.ts';

/** One contract as this repo sees it. `resolved` is the imported version, for importers. */
export interface ContractStatus {
  domain: string;
  name: string;
  version: string;
  owner: string;
  role: 'owner' | 'importer' | 'member';
  resolved: string | undefined;
}

/** The realm status of a repo. */
export interface RealmStatus {
  realm: string;
  repo: string;
  contracts: ContractStatus[];
  notifications: Omit<RealmNotification, 'id' | 'created_at'>[];
}

/**
 * Reads the realm status of the repo at `repoRoot`; opens the database only when it exists.
 * @throws UserError E_REALM / E_NOT_FOUND when the repo has not joined a realm.
 */
export function realmStatus(repoRoot: string): RealmStatus {
  const { model, repo } = openRealm(repoRoot);
  const realm = model.realm.data.name;
  const db = fs.existsSync(path.join(repoRoot, DB_RELATIVE_PATH)) ? openDatabase(repoRoot) : undefined;
  let notifications: RealmStatus['notifications'];
  try {
    const fresh = staleImportChanges(model, repo).filter((c) => !db || !isRecorded(db, realm, repo, c));
    notifications = [
      ...(db ? peekUnseen(db, realm, repo) : []),
      ...fresh.map((c) => ({ realm, repo, domain: c.domain, contract: c.contract, kind: c.kind, from_version: c.from ?? null, to_version: c.to, from_repo: c.fromRepo ?? null, seen_at: null })),
    ];
  } finally {
    db?.close();
  }
  const contracts = [...model.domains.values()].flatMap((d) =>
    [...d.contracts.values()].map((c): ContractStatus => {
      const imp = d.bindings.get(repo)?.data.imports.find((i) => i.contract === c.data.name);
      const role = c.data.owner === repo ? 'owner' : imp ? 'importer' : 'member';
      return { domain: d.name, name: c.data.name, version: c.data.version, owner: c.data.owner, role, resolved: imp?.resolved_version };
    }),
  );
  return { realm, repo, contracts, notifications };
}
