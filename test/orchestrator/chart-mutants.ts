/**
 * Mutants of a statechart: every transition of `machine.config` (each entry of every `on`,
 * `always`, `after`, `onDone` and `onError`, in every state node, recursively) removed; every
 * guard dropped; every action list dropped; every key of an object `assign` (inline or named)
 * dropped; every adjacent pair of a transition list swapped.
 * Each mutant is rebuilt from the copied config with the machine's own implementations, so it
 * runs exactly like the original but for the one change.
 */
import { type AnyStateMachine, assign, createMachine } from 'xstate';

/** What a mutant changed. */
export type MutationKind = 'remove' | 'unguard' | 'unaction' | 'unassign' | 'swap';

/** One mutant: a readable name (`<state path> <event>[i]`) and the rebuilt machine. */
export interface Mutant {
  kind: MutationKind;
  name: string;
  machine: AnyStateMachine;
}

type Json = Record<string, unknown>;

/** Where a transition list lives: `holder[key]` is a string, a transition object, or an array of them. */
interface Slot {
  /** Path of keys from the config root to the holder. */
  path: (string | number)[];
  key: string;
  label: string;
}

const isPlain = (x: unknown): x is Json => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/** Copies plain objects and arrays; functions and other objects (actions, guards) are shared. */
function copy<T>(x: T): T {
  if (Array.isArray(x)) return x.map(copy) as T;
  if (isPlain(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
  return x;
}

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);

/** Every place in a state node (and its children) that holds transitions. */
function slots(node: Json, path: (string | number)[], name: string): Slot[] {
  const out: Slot[] = [];
  const add = (holderPath: (string | number)[], holder: unknown, label: string) => {
    if (!isPlain(holder)) return;
    for (const key of Object.keys(holder)) out.push({ path: holderPath, key, label: `${label} ${key}` });
  };
  const here = name === '' ? '(root)' : name;
  add([...path, 'on'], node.on, `${here} on`);
  add([...path, 'after'], node.after, `${here} after`);
  if (node.always !== undefined) out.push({ path, key: 'always', label: `${here} always` });
  asList(node.invoke).forEach((inv, i) => {
    const invPath = Array.isArray(node.invoke) ? [...path, 'invoke', i] : [...path, 'invoke'];
    for (const key of ['onDone', 'onError']) if (isPlain(inv) && inv[key] !== undefined) out.push({ path: invPath, key, label: `${here} invoke ${key}` });
  });
  if (isPlain(node.states)) for (const [child, sub] of Object.entries(node.states)) if (isPlain(sub)) out.push(...slots(sub, [...path, 'states', child], name === '' ? child : `${name}.${child}`));
  return out;
}

function at(root: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((node, k) => (node as Record<string | number, Json>)[k] as Json, root);
}

/** The guard's type, or undefined for an unguarded transition. */
export function guardType(t: unknown): string | undefined {
  if (!isPlain(t) || t.guard === undefined) return undefined;
  if (typeof t.guard === 'string') return t.guard;
  if (isPlain(t.guard) && typeof t.guard.type === 'string') return t.guard.type;
  return '(inline)';
}

/** Two guards of one type with different params (`endedAs converged`, `endedAs forced`) cannot both hold: swapping them is no mutation. */
function exclusive(a: unknown, b: unknown): boolean {
  const ta = guardType(a);
  return ta !== undefined && ta === guardType(b) && isPlain(a) && isPlain(b) && isPlain(a.guard) && isPlain(b.guard) && JSON.stringify(a.guard.params) !== JSON.stringify(b.guard.params);
}

/** The config with `slot`'s list replaced by `edit(list)` (an empty list deletes the key). */
function edited(config: Json, slot: Slot, edit: (list: unknown[]) => unknown[]): Json {
  const root = copy(config);
  const holder = at(root, slot.path);
  const list = edit(asList(holder[slot.key]).map(copy));
  if (list.length === 0) delete holder[slot.key];
  else holder[slot.key] = list;
  return root;
}

/** Counts of what {@link mutantsOf} found. */
export interface Census {
  transitions: number;
  guards: number;
  actionLists: number;
  swaps: number;
  /** Keys of object `assign` actions, inline in the config or named in the implementations. */
  assignedKeys: number;
  /** Adjacent pairs not swapped because their guards exclude each other. */
  exclusivePairs: number;
  /** Guard and action names the config refers to. */
  guardNames: Set<string>;
  actionNames: Set<string>;
}

/** Every mutant of `machine`, and a census of what was enumerated. */
export function mutantsOf(machine: AnyStateMachine): { mutants: Mutant[]; census: Census } {
  const config = machine.config as Json;
  const impl = machine.implementations as { actions: Record<string, unknown> };
  const build = (c: Json, actions = impl.actions) => createMachine(c as never, { ...impl, actions } as never) as AnyStateMachine;
  const mutants: Mutant[] = [];
  const census: Census = { transitions: 0, guards: 0, actionLists: 0, assignedKeys: 0, swaps: 0, exclusivePairs: 0, guardNames: new Set(), actionNames: new Set() };
  const add = (kind: MutationKind, name: string, slot: Slot, edit: (list: unknown[]) => unknown[]) => mutants.push({ kind, name, machine: build(edited(config, slot, edit)) });
  for (const slot of slots(config, [], '')) {
    const list = asList(at(config, slot.path)[slot.key]);
    list.forEach((t, i) => {
      const name = `${slot.label}[${i}]`;
      const replaced = (f: (u: Json) => Json) => (l: unknown[]) => l.map((u, j) => (j === i ? f(u as Json) : u));
      census.transitions++;
      add('remove', name, slot, (l) => l.filter((_, j) => j !== i));
      const guard = guardType(t);
      if (guard !== undefined) {
        census.guards++;
        census.guardNames.add(guard);
        add('unguard', `${name} (${guard})`, slot, replaced((u) => ({ ...u, guard: undefined })));
      }
      if (isPlain(t) && t.actions !== undefined) {
        census.actionLists++;
        // Named actions only: an inline assign is no name to look up.
        for (const a of asList(t.actions)) if (typeof a === 'string' || (isPlain(a) && typeof a.type === 'string')) census.actionNames.add(typeof a === 'string' ? a : String(a.type));
        add('unaction', name, slot, replaced((u) => ({ ...u, actions: undefined })));
        asList(t.actions).forEach((a, k) => {
          for (const [key, without] of assignsWithout(a)) {
            census.assignedKeys++;
            add('unassign', `${name} ${key}`, slot, replaced((u) => ({ ...u, actions: asList(u.actions).map((b, m) => (m === k ? without : b)) })));
          }
        });
      }
      if (i + 1 >= list.length) return;
      if (exclusive(t, list[i + 1])) {
        census.exclusivePairs++;
        return;
      }
      census.swaps++;
      add('swap', `${name}⇄[${i + 1}]`, slot, (l) => l.map((u, j) => (j === i ? l[i + 1] : j === i + 1 ? l[i] : u)));
    });
  }
  for (const [action, a] of Object.entries(impl.actions)) {
    for (const [key, without] of assignsWithout(a)) {
      census.assignedKeys++;
      mutants.push({ kind: 'unassign', name: `action ${action} ${key}`, machine: build(config, { ...impl.actions, [action]: without }) });
    }
  }
  return { mutants, census };
}

/** For an `assign` of an object, each key with the assign that leaves it out; nothing for other actions. */
function assignsWithout(action: unknown): [string, unknown][] {
  const a = action as { type?: unknown; assignment?: unknown };
  if (typeof action !== 'function' || a.type !== 'xstate.assign' || !isPlain(a.assignment)) return [];
  const assignment = a.assignment;
  return Object.keys(assignment).map((key) => [key, assign(Object.fromEntries(Object.entries(assignment).filter(([k]) => k !== key)) as never)]);
}
