/**
 * Folder boundaries of src/ (ARCHITECTURE §2), checked by dependency-cruiser in `npm test`,
 * in .ci/run and by test/boundaries.test.ts:
 *   {cli, mcp} → orchestrator → {experts, llm, store, markdown} ; realm → {store, markdown}
 * core is the kernel every folder may use; nothing imports cli or mcp (cli starts mcp, and the
 * package entry src/index.ts re-exports cli's public part). Imports into another folder go
 * through that folder's index.ts; realm is two engines, documents (§9) and realm (§10), each with
 * its own index.ts (src/realm/index.ts joins them for the package entry), so that a document
 * command does not load the contract engine. Type-only imports count: a type is a dependency too.
 * Only src/store imports better-sqlite3 (test/boundaries.test.ts also finds SQL text elsewhere).
 */

/** Folders each folder may import besides itself. */
const ALLOWED = {
  core: [],
  store: ['core'],
  llm: ['core'],
  experts: ['core'],
  markdown: ['core'],
  orchestrator: ['core', 'experts', 'llm', 'store', 'markdown'],
  realm: ['core', 'store', 'markdown'],
  mcp: ['core', 'orchestrator', 'experts', 'llm', 'store', 'markdown', 'realm'],
  cli: ['core', 'orchestrator', 'experts', 'llm', 'store', 'markdown', 'realm', 'mcp'],
};

const directionRules = Object.entries(ALLOWED).map(([folder, allowed]) => ({
  name: `direction-${folder}`,
  comment: `src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'nothing else in src'} (ARCHITECTURE §2)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: [`^src/(${[folder, ...allowed].join('|')})/`] },
}));

/**
 * Light entries the CLI may import directly: the value imports a command group needs to build
 * its commander options and run `blue rfc list` / `blue dialogue list`. Going through the
 * folder's index.ts there loads the whole folder (ESM barrels are not tree-shaken under plain tsc):
 * `blue rfc list` went from 62 to 405 modules. Everything else crosses folders through index.ts.
 */
const CLI_STARTUP_ENTRIES = [
  'src/orchestrator/limits.ts',
  'src/orchestrator/listing.ts',
  'src/orchestrator/rotation-modes.ts',
  'src/realm/documents/model.ts',
  'src/realm/documents/queries.ts',
  'src/realm/documents/transitions.ts',
];
const escape = (file) => `^${file.replace(/[.]/g, '\\.')}$`;
/** The entries of a folder: its index.ts, and those of realm's two engines. */
const ENTRIES = ['^src/[^/]+/index\\.ts$', '^src/realm/(documents|realm)/index\\.ts$'];

module.exports = {
  forbidden: [
    ...directionRules,
    {
      name: 'no-deep-import',
      comment: "an import into another folder of src/ goes through that folder's index.ts",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/cli/' },
      to: { path: '^src/[^/]+/.', pathNot: ['^src/$1/', ...ENTRIES] },
    },
    {
      name: 'no-deep-import-cli',
      comment: "src/cli imports another folder through its index.ts, or one of the light CLI_STARTUP_ENTRIES",
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/[^/]+/.', pathNot: ['^src/cli/', ...ENTRIES, ...CLI_STARTUP_ENTRIES.map(escape)] },
    },
    {
      name: 'entry-through-index',
      comment: "the package entry src/index.ts re-exports folders through their index.ts",
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/[^/]+/.', pathNot: ['^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-folder-cycle',
      comment: 'no import cycle that leaves its folder (folders form a DAG)',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^src/$1/' } },
    },
    {
      name: 'sqlite-only-in-store',
      comment: 'only src/store opens SQLite: everything else goes through its repositories (no SQL, no better-sqlite3 elsewhere)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '(^|node_modules/)(@types/)?better-sqlite3($|/)' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'a relative import that resolves to no file',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, path: '^\\.' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stay as leaves (not followed), so a rule can name a package (sqlite-only-in-store).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
