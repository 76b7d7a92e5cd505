/**
 * Live sessions and change hints (seed 003 Round 12, first layer): `sessions.db` in the user's
 * runtime directory holds the dialogues, worktrees, syncs and watches running on this machine
 * (realm, repo, pid, host, what they touch, heartbeat) and a log of realm change events that
 * `realm status --watch` polls. Best effort: git stays the truth, so callers treat a missing
 * store as "no sessions" and never fail a command over it.
 */
import type { Clock, IdSource } from '../../core/index.ts';
import { SESSIONS_FILE, type Session, type SessionEvent, type SessionKind, SessionsRepo } from '../../store/index.ts';

export { SESSIONS_FILE, type Session, type SessionEvent, type SessionKind };

/** A session older than this (ms since its last heartbeat) is stale, wherever it runs. */
export const STALE_AFTER_MS = 15_000;

/** Events kept per realm; older ones are dropped as new ones arrive. */
const KEEP_EVENTS = 1000;

/** The process facts a store needs, injected from src/cli. */
export interface SessionDeps {
  clock: Clock;
  ids: IdSource;
  /** This process. */
  pid: number;
  host: string;
  /** True when process `pid` on this host still runs. */
  isAlive: (pid: number) => boolean;
}

/** Sessions and events in one `sessions.db`. */
export interface SessionStore {
  /** Registers this process's session; the id is unique (`<id>@<host>:<pid>`). */
  register(s: { realm: string; repo: string; kind: SessionKind; touches?: string[] }): Session;
  heartbeat(id: string): void;
  end(id: string): void;
  /** Removes stale sessions (a dead pid on this host, or no heartbeat for {@link STALE_AFTER_MS}). @returns their ids. */
  prune(): string[];
  /** Live sessions of `realm` (pruned first), oldest first. */
  active(realm: string): Session[];
  emit(e: { realm: string; repo: string; kind: string; detail: string }): void;
  /** Events of `realm` with an id above `after`, in order. */
  eventsAfter(realm: string, after: number): SessionEvent[];
  /** The newest event id (0 when none). */
  lastEventId(): number;
  close(): void;
}

/**
 * Opens (creating) `<dir>/sessions.db`.
 * @returns the store, or undefined when it cannot be opened (best effort: no sessions then).
 */
export function openSessions(dir: string, deps: SessionDeps): SessionStore | undefined {
  try {
    return store(SessionsRepo.open(dir), deps);
  } catch {
    return undefined;
  }
}

/** Stale: no heartbeat for {@link STALE_AFTER_MS}, or another process of this host that is gone. Pure. */
function isStale(s: Session, limitMs: number, deps: Pick<SessionDeps, 'host' | 'pid' | 'isAlive'>): boolean {
  return Date.parse(s.heartbeat_at) < limitMs || (s.host === deps.host && s.pid !== deps.pid && !deps.isAlive(s.pid));
}

function store(repo: SessionsRepo, deps: SessionDeps): SessionStore {
  const now = () => deps.clock.now().toISOString();
  const self: SessionStore = {
    register(s) {
      const at = now();
      const session: Session = { id: `${deps.ids.next('s')}@${deps.host}:${deps.pid}`, realm: s.realm, repo: s.repo, kind: s.kind, pid: deps.pid, host: deps.host, touches: s.touches ?? [], started_at: at, heartbeat_at: at };
      repo.insert(session);
      return session;
    },
    heartbeat(id) {
      repo.beat(id, now());
    },
    end(id) {
      repo.remove([id]);
    },
    prune() {
      const limit = deps.clock.now().getTime() - STALE_AFTER_MS;
      const stale = repo.sessions().filter((s) => isStale(s, limit, deps)).map((s) => s.id);
      repo.remove(stale);
      return stale;
    },
    active(realm) {
      self.prune();
      return repo.sessions(realm);
    },
    emit(e) {
      repo.append(e, now(), KEEP_EVENTS);
    },
    eventsAfter: (realm, after) => repo.eventsAfter(realm, after),
    lastEventId: () => repo.lastEventId(),
    close: () => repo.close(),
  };
  return self;
}

/** One line about a session: `fungal watch (pid 123 on host, since …) touching a, b`. */
export function formatSession(s: Session): string {
  return `${s.repo} ${s.kind} (pid ${s.pid} on ${s.host}, since ${s.started_at})${s.touches.length ? ` touching ${s.touches.join(', ')}` : ''}`;
}
