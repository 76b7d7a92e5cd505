/** The RFC and realm tools: the same use cases as `blue rfc list|show` and `blue realm join|status|check|sync`. */
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError } from '../core/index.ts';
import { type DocIndex, docKey, formatNumber, requireStatus, withDocIndex } from '../realm/documents/index.ts';
import { checkPassed, checkRealm, joinRealm, openRealm, realmStatus, realmView, syncRealm } from '../realm/realm/index.ts';
import type { McpDeps } from './deps.ts';
import { guarded, ok } from './results.ts';

const CHECK_MODES = ['all', 'exporter', 'importer', 'contract', 'compatibility'] as const;

/** Registers `rfc_list`, `rfc_show`, `realm_join`, `realm_status`, `realm_check`, `realm_sync`. */
export function registerWorkspaceTools(server: McpServer, deps: McpDeps): void {
  const { root, clock, log } = deps;
  const withIndex = <T>(fn: (index: DocIndex) => T): T => withDocIndex(root, fn);

  server.registerTool(
    'rfc_list',
    { title: 'List RFCs', description: 'RFCs from the document index, optionally of one status.', inputSchema: { status: z.string().optional().describe('draft, accepted, in-progress, implemented, superseded, rejected') } },
    guarded(log, (args) => {
      const status = args.status === undefined ? undefined : requireStatus('rfc', args.status);
      return ok({ rfcs: withIndex((index) => index.list('rfc', status)) });
    }),
  );

  server.registerTool(
    'rfc_show',
    { title: 'Show an RFC', description: 'One RFC from the index, with its links (dialogues, ADRs, supersessions).', inputSchema: { number: z.int().min(1).max(9999) } },
    guarded(log, (args) =>
      withIndex((index) => {
        const docs = index.find('rfc', args.number);
        const doc = docs[0];
        if (!doc) throw new UserError('E_NOT_FOUND', `RFC ${formatNumber(args.number)} is not in the index (run blue index)`);
        const links = [...index.linksTouching(docKey('rfc', args.number)), ...index.linksTouching(doc.file)];
        return ok({ ...doc, duplicates: docs.slice(1).map((d) => d.file), links });
      }),
    ),
  );

  server.registerTool(
    'realm_join',
    { title: 'Join a realm', description: "Registers this repo in a realm and records membership in .blue/config.yaml.", inputSchema: { realmPath: z.string().min(1), repo: z.string().optional().describe('repo name (default: the workspace folder name)') } },
    guarded(log, (args) => {
      const repo = args.repo ?? path.basename(root);
      joinRealm(root, args.realmPath, repo, clock);
      return ok({ realmPath: args.realmPath, repo });
    }),
  );

  server.registerTool(
    'realm_status',
    { title: 'Realm status', description: "This repo's realm, contracts with its role in each, and unseen notifications (read-only: nothing is marked seen).", inputSchema: {} },
    guarded(log, () => ok({ ...realmStatus(root) })),
  );

  server.registerTool(
    'realm_check',
    {
      title: 'Check the realm',
      description: 'Validates contracts and bindings; passed is false for any error, or any warning under strict.',
      inputSchema: {
        mode: z.enum(CHECK_MODES).optional(),
        contract: z.string().optional(),
        domain: z.string().optional(),
        from: z.string().optional(),
        to: z.string().optional(),
        strict: z.boolean().optional(),
      },
    },
    guarded(log, async (args) => {
      const { model: checkout, repo } = openRealm(root);
      const { model } = realmView(checkout, repo); // the merged state, as `blue realm check`
      const { strict, mode, ...rest } = args;
      const report = await checkRealm(model, { ...stripUndefined(rest), mode: mode ?? 'all', repo, repoRoot: root, now: clock.now() });
      return ok({ ...report, passed: checkPassed(report, strict ?? false) });
    }),
  );

  server.registerTool(
    'realm_sync',
    { title: 'Sync the realm', description: "Commits this repo's realm changes on sync/<repo>/<timestamp>; fetches, rebases and pushes when the realm has a remote.", inputSchema: {} },
    guarded(log, async () => {
      const { model, repo } = openRealm(root);
      return ok({ ...(await syncRealm(model, repo, clock)) });
    }),
  );
}

function stripUndefined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
