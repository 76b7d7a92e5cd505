/** Realm-relative paths of domain, binding and contract files, parsed in one place. */

/** A realm file by its realm-relative path: a domain's `domain.yaml`, a binding or a contract. */
export type RealmFile = { kind: 'domain'; domain: string } | { kind: 'binding'; domain: string; repo: string } | { kind: 'contract'; domain: string; contract: string };

const REALM_FILE = /^domains\/([^/]+)\/(?:(domain\.yaml)|bindings\/([^/]+)\.yaml|contracts\/([^/]+)\.yaml)$/;

/** What `rel` is, or undefined for any other path (`repos/<r>.yaml`, `realm.yaml`, …). */
export function realmFile(rel: string): RealmFile | undefined {
  const m = REALM_FILE.exec(rel);
  if (!m) return undefined;
  if (m[2]) return { kind: 'domain', domain: m[1]! };
  if (m[3]) return { kind: 'binding', domain: m[1]!, repo: m[3] };
  return { kind: 'contract', domain: m[1]!, contract: m[4]! };
}
