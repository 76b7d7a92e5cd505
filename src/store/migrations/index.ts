/**
 * Numbered schema migrations, applied in order inside one transaction each.
 * Never edit a released migration: add a new one.
 */
import { m001Dialogues } from './001-dialogues.ts';
import { m002Documents } from './002-documents.ts';
import { m003Realm } from './003-realm.ts';
import { m004Plan } from './004-plan.ts';
import { m005UnpricedCalls } from './005-unpriced-calls.ts';
import { m006Leases } from './006-leases.ts';
import { m007PromptParts } from './007-prompt-parts.ts';
import { m008PartPieces } from './008-part-pieces.ts';
import { m009ProviderUnavailable } from './009-provider-unavailable.ts';
import type { Db } from '../db.ts';
import { m010RoundCacheNote } from './010-round-cache-note.ts';
import { m011DropSnapshot } from './011-drop-snapshot.ts';
import { m012TextRefs } from './012-text-refs.ts';

/** A schema migration. `version` is its number; `sql` runs with `db.exec`, then `up` (rows SQL alone cannot move), in the same transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Rebuilds a parent table: runs with foreign keys off (a DROP would cascade), checked before commit. */
  rebuildsTable?: true;
  up?: (db: Db) => void;
}

/** All migrations, in version order. */
export const MIGRATIONS: readonly Migration[] = [m001Dialogues, m002Documents, m003Realm, m004Plan, m005UnpricedCalls, m006Leases, m007PromptParts, m008PartPieces, m009ProviderUnavailable, m010RoundCacheNote, m011DropSnapshot, m012TextRefs];
