/**
 * Semver rules for realms (blue-realm-docs-spec §4.5): versions are strict
 * `MAJOR.MINOR.PATCH[-pre][+build]`; ranges accept both the space-separated form
 * (`>=1.0.0 <2.0.0`, npm style) and the comma-separated form (`>=1.0.0, <2.0.0`, Rust
 * style); a bare version means `^version` as in Rust's semver crate.
 */
import semver from 'semver';
import { UserError, type ErrorLocation } from '../../core/index.ts';

/** Bump levels, smallest first. */
export type BumpLevel = 'patch' | 'minor' | 'major';

/**
 * Returns `v` when it is a strict semver version.
 * @throws UserError E_REALM `invalid semver version "…"` otherwise.
 */
export function parseVersion(v: string, where?: ErrorLocation): string {
  const valid = semver.valid(v);
  if (valid === null || valid !== v.trim() || /^[v=]/.test(v.trim())) {
    throw new UserError('E_REALM', `invalid semver version "${v}"`, { where, expected: 'MAJOR.MINOR.PATCH such as 1.2.0' });
  }
  return valid;
}

/**
 * Normalises a range to npm syntax: commas become spaces, a bare version becomes `^v`.
 * @returns the npm range string, e.g. `>=1.0.0 <2.0.0`.
 * @throws UserError E_REALM `invalid semver range "…"` when it does not parse.
 */
export function parseRange(range: string, where?: ErrorLocation): string {
  const alternatives = range.split('||').map((alt) => {
    const parts = alt
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length === 1 && semver.valid(parts[0]!) !== null) return `^${parts[0]}`;
    return parts.join(' ');
  });
  const npm = alternatives.join(' || ');
  if (npm.trim() === '' || semver.validRange(npm) === null || /,\s*,/.test(range)) {
    throw new UserError('E_REALM', `invalid semver range "${range}"`, {
      where,
      expected: 'comparators such as ">=1.0.0 <2.0.0" or ">=1.0.0, <2.0.0"',
    });
  }
  return npm;
}

/** True when `version` satisfies `range` (either syntax). Throws as {@link parseRange}. */
export function inRange(version: string, range: string): boolean {
  return semver.satisfies(version, parseRange(range));
}

/**
 * The level of the bump `from` → `to` (prerelease levels count as their base level).
 * @throws UserError E_REALM when `to` is not greater than `from`.
 */
export function bumpLevel(from: string, to: string): BumpLevel {
  if (!semver.gt(to, from)) {
    throw new UserError('E_REALM', `version ${to} is not greater than ${from}`, { expected: `a version above ${from}` });
  }
  const diff = semver.diff(from, to) ?? 'patch';
  if (diff.endsWith('major')) return 'major';
  if (diff.endsWith('minor')) return 'minor';
  return 'patch';
}

/** The next version of `from` at `level` (`1.2.3` + minor → `1.3.0`). */
export function nextVersion(from: string, level: BumpLevel): string {
  return semver.inc(from, level) ?? from;
}

/** Compares two versions for sorting (ascending). */
export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}
