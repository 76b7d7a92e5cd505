/**
 * Resources for a dialogue's documents: `blue://dialogues/{id}/{doc}` (verdict, scoreboard,
 * tensions, record, dialogue) and `blue://dialogues/{id}/rounds/{round}/{name}` (summary, panel,
 * or an expert's response). Listing shows what each dialogue has written so far.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { BlueError } from '../core/index.ts';
import { type McpDeps, withStore } from './deps.ts';
import { DIALOGUE_DOCS, type LocatedDoc, locateDoc, readDoc } from './documents.ts';

/** MCP's "resource not found" error code. */
const RESOURCE_NOT_FOUND = -32002;

/** Registers the two dialogue resource templates. */
export function registerDialogueResources(server: McpServer, deps: McpDeps): void {
  const { root } = deps;
  const read = async (uri: URL, find: (store: Parameters<typeof locateDoc>[0]) => LocatedDoc): Promise<ReadResourceResult> => {
    try {
      const doc = await withStore(root, find);
      return { contents: [{ uri: uri.href, mimeType: doc.mimeType, text: readDoc(root, doc) }] };
    } catch (err) {
      if (err instanceof BlueError) throw new McpError(err.code === 'E_NOT_FOUND' ? RESOURCE_NOT_FOUND : ErrorCode.InvalidParams, err.oneLine(), { code: err.code });
      throw err;
    }
  };

  server.registerResource(
    'dialogue-document',
    new ResourceTemplate('blue://dialogues/{id}/{doc}', {
      list: async () => ({
        resources: await withStore(root, (store) =>
          store.listDialogues().flatMap((d) =>
            DIALOGUE_DOCS.map((doc) => locateDoc(store, d.id, doc))
              .filter((doc) => fs.existsSync(path.join(root, doc.file)))
              .map((doc) => ({ uri: doc.uri, name: `${d.id} ${path.posix.basename(doc.file)}`, mimeType: doc.mimeType })),
          ),
        ),
      }),
      complete: { doc: () => [...DIALOGUE_DOCS] },
    }),
    { title: 'Dialogue document', description: 'verdict, scoreboard, tensions, record (the recorded dialogue) or dialogue (dialogue.yaml)' },
    (uri, vars) => read(uri, (store) => locateDoc(store, String(vars.id), String(vars.doc))),
  );

  server.registerResource(
    'round-document',
    new ResourceTemplate('blue://dialogues/{id}/rounds/{round}/{name}', { list: undefined }),
    { title: 'Round document', description: "a round's summary, panel, or one expert's response (by expert name)" },
    (uri, vars) => read(uri, (store) => locateDoc(store, String(vars.id), String(vars.name), Number(vars.round))),
  );
}
