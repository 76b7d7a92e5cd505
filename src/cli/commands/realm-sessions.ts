/**
 * The CLI side of sessions.db (src/realm/realm/sessions.ts): where it lives (`$XDG_RUNTIME_DIR/blue`,
 * else `~/.blue`), this process's pid and host, sessions around long commands, change hints,
 * and `realm status --watch`. Everything here is best effort: no store, no sessions, no failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatNotification,
  loadRealm,
  staleImportChanges,
  type ContractChange,
  formatSession,
  openSessions,
  readMemberships, type Session, type SessionKind, type SessionStore } from '../../realm/realm/index.ts';
import type { CliContext } from '../context.ts';
import { processAlive } from '../lease.ts';
import { userDirs } from '../user-dirs.ts';

/** Poll interval of `--watch` (ms). */
const POLL_MS = 200;
/** Heartbeat period of long commands' sessions (well under STALE_AFTER_MS). */
const HEARTBEAT_MS = 5_000;
/** Polls between heartbeats of the watch's own session. */
const HEARTBEAT_EVERY = 5;

/** The sessions store of this user, or undefined (no runtime/home dir, or it cannot be opened). */
export function sessionStore(ctx: CliContext): SessionStore | undefined {
  const dir = userDirs(ctx.env).runtime;
  if (!dir) return undefined;
  return openSessions(dir, { clock: ctx.clock, ids: ctx.ids, pid: process.pid, host: os.hostname(), isAlive: processAlive });
}

type SessionSpec = { realm: string; repo: string; kind: SessionKind; touches?: string[] };

/** Runs `f` inside a registered session (ended afterwards, even when `f` throws). */
export function withSession<T>(ctx: CliContext, s: SessionSpec, f: () => Promise<T> | T): Promise<T> {
  return withSessions(ctx, [s], f);
}

/**
 * Runs `f` inside one session per realm the repo at `repoRoot` joined (none when it joined
 * none or its membership cannot be read): how a dialogue shows up in `realm status`.
 */
export function withRealmSessions<T>(ctx: CliContext, repoRoot: string, kind: SessionKind, touches: string[], f: () => Promise<T>): Promise<T> {
  const joined = attempt(() => readMemberships(repoRoot)) ?? [];
  return withSessions(ctx, joined.map((m) => ({ realm: m.name, repo: m.repo, kind, touches })), f);
}

/** Runs `f` with one heartbeated session per spec (no store opened for none), all ended afterwards, even when `f` throws. */
async function withSessions<T>(ctx: CliContext, specs: SessionSpec[], f: () => Promise<T> | T): Promise<T> {
  const store = specs.length ? sessionStore(ctx) : undefined;
  const ids = specs.map((s) => attempt(() => store?.register(s))?.id);
  const stop = keepAlive(store, ids);
  try {
    return await f();
  } finally {
    stop();
    for (const id of ids) if (id) attempt(() => store?.end(id));
    attempt(() => store?.close());
  }
}

/** Records a change hint for running watches of `realm` (best effort). */
export function emitChange(ctx: CliContext, e: { realm: string; repo: string; kind: string; detail: string }): void {
  const store = sessionStore(ctx);
  attempt(() => store?.emit(e));
  attempt(() => store?.close());
}

/** The live sessions of `realm` (stale ones removed), or [] without a store. */
export function activeSessions(ctx: CliContext, realm: string): Session[] {
  const store = sessionStore(ctx);
  const list = attempt(() => store?.active(realm)) ?? [];
  attempt(() => store?.close());
  return list;
}

/**
 * `realm status --watch`: registers a `watch` session, then every {@link POLL_MS} ms prints new
 * change events of the realm, sessions that started or ended, and the lines `poll` returns
 * (see {@link importChangePoller}), until interrupted.
 */
export async function watchRealm(ctx: CliContext, realm: string, repo: string, poll: () => string[] = () => []): Promise<void> {
  const store = sessionStore(ctx);
  if (!store) {
    ctx.stderr('warning: no sessions.db ($XDG_RUNTIME_DIR or $HOME unset, or not writable): nothing to watch\n');
    return;
  }
  const me = store.register({ realm, repo, kind: 'watch' });
  let last = store.lastEventId();
  let known = new Map(store.active(realm).map((s) => [s.id, s]));
  let stopped = false;
  // In the real process (it has onInterrupt), Ctrl-C ends the loop so the session goes now; a killed watch is pruned by the next reader.
  const stop = (): void => void (stopped = true);
  if (ctx.onInterrupt) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  ctx.stdout(`watching realm ${realm} (this repo: ${repo}, session ${me.id}); Ctrl-C to stop\n`);
  for (let tick = 1; !stopped; tick++) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    attempt(() => {
      if (tick % HEARTBEAT_EVERY === 0) store.heartbeat(me.id);
      for (const e of store.eventsAfter(realm, last)) {
        last = e.id;
        ctx.stdout(`${e.at} ${e.repo}: ${e.detail}\n`);
      }
      const now = new Map(store.active(realm).map((s) => [s.id, s]));
      for (const [id, s] of now) if (!known.has(id)) ctx.stdout(`session started: ${formatSession(s)}\n`);
      for (const [id, s] of known) if (!now.has(id)) ctx.stdout(`session ended: ${formatSession(s)}\n`);
      known = now;
      for (const line of poll()) ctx.stdout(`${line}\n`);
    });
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  attempt(() => store.end(me.id));
  attempt(() => store.close());
}

/** Heartbeats `ids` every {@link HEARTBEAT_MS} ms until the returned stop is called (never keeps the process alive). */
function keepAlive(store: SessionStore | undefined, ids: (string | undefined)[]): () => void {
  const live = ids.filter((id): id is string => id !== undefined);
  if (!store || live.length === 0) return () => undefined;
  const timer = setInterval(() => live.forEach((id) => attempt(() => store.heartbeat(id))), HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A poller of the realm checkout at `root` for `--watch`: when a contract file or this repo's
 * binding changed (mtime or size; a cheap stat per file per tick), reloads the realm and
 * returns one `notification: …` line per import of `repo` newly left behind. What the
 * initial status already showed is not repeated. Nothing is recorded or marked seen.
 */
export function importChangePoller(root: string, repo: string): () => string[] {
  const key = (c: ContractChange): string => `${c.domain}/${c.contract}@${c.to}`;
  const printed = new Set((attempt(() => staleImportChanges(loadRealm(root), repo)) ?? []).map(key));
  let stamp = attempt(() => realmStamp(root, repo)) ?? '';
  return () => {
    const now = realmStamp(root, repo);
    if (now === stamp) return [];
    stamp = now;
    const fresh = staleImportChanges(loadRealm(root), repo).filter((c) => !printed.has(key(c)));
    for (const c of fresh) printed.add(key(c));
    return fresh.map((c) => `notification: ${formatNotification({ kind: c.kind, domain: c.domain, contract: c.contract, from_version: c.from ?? null, to_version: c.to, from_repo: c.fromRepo ?? null })}`);
  };
}

/** mtime and size of every contract file and of `repo`'s bindings, as one string. */
function realmStamp(root: string, repo: string): string {
  const domains = path.join(root, 'domains');
  const parts: string[] = [];
  const dirs = fs.existsSync(domains) ? fs.readdirSync(domains, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  for (const d of dirs.sort()) {
    const dir = path.join(domains, d, 'contracts');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => path.join(dir, f)) : [];
    for (const f of [...files, path.join(domains, d, 'bindings', `${repo}.yaml`)]) {
      const st = fs.statSync(f, { throwIfNoEntry: false });
      parts.push(`${f}:${st?.mtimeMs ?? '-'}:${st?.size ?? '-'}`);
    }
  }
  return parts.join('\n');
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
