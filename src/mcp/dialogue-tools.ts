/**
 * The dialogue tools: start and resume run in the background of the server process and return
 * at once; status (optionally waiting, with progress), show, steer and promote act on the store.
 */
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { seededRng } from '../core/index.ts';
import { BUILTIN_POOLS_DIR, resolvePool } from '../experts/index.ts';
import {
  type DialogueSettings,
  type LeaseOptions,
  MAX_PANEL_SIZE,
  ROTATION_MODES,
  dialogueRows,
  dialogueStatus,
  findDialogue,
  lastJudgedRound,
  newestDialogueId,
  loadDialogue,
  promotionInput,
  recordingPool,
  resumeDialogue,
  startDialogue,
  steerDialogue,
  tierModelsSchema,
} from '../orchestrator/index.ts';
import { promoteDialogue } from '../realm/documents/index.ts';
import { realmContextSources } from '../realm/realm/index.ts';
import { type McpDeps, withStore } from './deps.ts';
import { DIALOGUE_DOCS, locateDoc, readDoc, roundDocUri } from './documents.ts';
import { describeEvent, progressFor } from './progress.ts';
import { guarded, ok } from './results.ts';
import type { RunRegistry } from './runs.ts';

const id = z.string().min(1).describe('dialogue id or unique prefix');
const optionalId = id.optional().describe('dialogue id or unique prefix (default: the newest)');

const startShape = {
  question: z.string().min(1).describe('the design question'),
  title: z.string().optional(),
  pool: z.string().optional().describe('expert pool: pools/<name>.yaml, a shipped pool, or a file'),
  panelSize: z.int().min(1).max(MAX_PANEL_SIZE).optional(),
  maxRounds: z.int().min(1).max(99).optional(),
  minRounds: z.int().min(1).max(99).optional(),
  constraints: z.array(z.string()).optional().describe('constraints every expert must respect'),
  sources: z.array(z.string()).optional().describe('grounding files, relative to the workspace'),
  realmContext: z.boolean().optional().describe("add this repo's realm contracts to the sources"),
  provider: z.string().optional().describe('anthropic | openai | claude-code | replay'),
  replayDir: z.string().optional().describe('recorded dialogue folder to replay (with provider replay)'),
  model: z.string().optional().describe('expert model; provider:model (openai:llama3.1:8b) sends it to another provider'),
  tierModels: tierModelsSchema.optional().describe('a model per tier, e.g. {Wildcard: "openai:llama3.1:8b"}'),
  judgeModel: z.string().optional(),
  judge: z.boolean().optional().describe('false: deterministic synthesis only'),
  concurrency: z.int().min(1).max(64).optional(),
  maxCost: z.number().positive().optional().describe('USD cap for the whole dialogue'),
  rotation: z.enum(ROTATION_MODES).optional(),
  record: z.boolean().optional(),
  seed: z.int().min(1).optional(),
};

const runStarted = { id: z.string(), dir: z.string(), status: z.literal('running') };

/** Registers the dialogue tools on `server`. */
export function registerDialogueTools(server: McpServer, deps: McpDeps, runs: RunRegistry): void {
  const { root, clock, log } = deps;

  server.registerTool(
    'dialogue_start',
    {
      title: 'Start an alignment dialogue',
      description: 'Starts a dialogue and returns its id at once; it runs in the background of this server. Follow it with dialogue_status (waitSeconds to block, with progress).',
      inputSchema: startShape,
      outputSchema: runStarted,
    },
    guarded(log, async (args, extra) => {
      const settings = deps.startSettings(args);
      const llm = await deps.providers(settings, 0);
      const pool = llm.recording && !args.pool ? recordingPool(llm.recording) : resolvePool(settings.pool, { root, builtinDir: BUILTIN_POOLS_DIR });
      const sources = [...deps.readSources(args.sources ?? []), ...(args.realmContext ? realmContextSources(root) : [])];
      const input = { question: args.question, ...(args.title ? { title: args.title } : {}), pool, constraints: args.constraints ?? [], sources };
      const dialogueId = await runs.launch((onEvent, signal) =>
        withStore(root, (store) =>
          startDialogue({ root, store, provider: llm.provider, clock, rng: seededRng(settings.seed), ...optional(llm), onEvent, signal, record: settings.record, ...leaseOption(deps) }, input, settings),
        ),
      );
      return started(runs, dialogueId, extra);
    }),
  );

  server.registerTool(
    'dialogue_resume',
    {
      title: 'Resume a dialogue',
      description: 'Continues a stopped dialogue (cancelled, failed, budget exhausted) in the background; no stored expert call is repeated.',
      inputSchema: { id, maxCost: z.number().positive().optional().describe('raise the USD budget'), replayDir: z.string().optional() },
      outputSchema: runStarted,
    },
    guarded(log, async (args, extra) => {
      const { row, settings, spent } = await withStore(root, (store) => {
        const found = findDialogue(store, args.id);
        return { row: found, settings: found.settings, spent: store.spentUsd(found.id) };
      });
      runs.assertIdle(row.id);
      const overrides: Partial<DialogueSettings> = {
        ...(args.maxCost ? { maxCostUsd: args.maxCost } : {}),
        ...(args.replayDir ? { replayDir: path.resolve(root, args.replayDir) } : {}),
      };
      const merged = { ...settings, ...overrides };
      const llm = await deps.providers(merged, spent);
      const dialogueId = await runs.launch((onEvent, signal) =>
        withStore(root, (store) =>
          resumeDialogue({ root, store, provider: llm.provider, clock, rng: seededRng(merged.seed + store.rounds(row.id).length), ...optional(llm), onEvent, signal, record: merged.record, ...leaseOption(deps) }, row.id, overrides),
        ),
      );
      return started(runs, dialogueId, extra);
    }),
  );

  server.registerTool(
    'dialogue_status',
    {
      title: 'Dialogue status',
      description: 'Where a dialogue stands: status, metrics and usage per round. waitSeconds blocks until it ends (or the wait passes), sending progress when the request has a progress token.',
      inputSchema: { id: optionalId, waitSeconds: z.number().min(0).max(600).optional() },
      outputSchema: z.looseObject({ id: z.string(), status: z.string(), running: z.boolean(), rounds: z.array(z.looseObject({ round: z.number(), velocity: z.number(), convergePercent: z.number() })) }),
    },
    guarded(log, async (args, extra) => {
      const dialogueId = await withStore(root, (store) => findDialogue(store, args.id ?? newestDialogueId(store, 'dialogue_start first')).id);
      if (args.waitSeconds !== undefined) {
        const progress = progressFor(extra);
        const run = runs.get(dialogueId);
        progress.report(run?.running ? `${dialogueId} running${run.last ? `: ${describeEvent(run.last) ?? run.last.type}` : ''}` : `${dialogueId} is not running`);
        await runs.watch(dialogueId, args.waitSeconds * 1000, (e) => {
          const line = describeEvent(e);
          if (line) progress.report(line);
        });
        await progress.flush();
      }
      const report = await withStore(root, (store) => dialogueStatus(store, dialogueId));
      const run = runs.get(dialogueId);
      const error = run?.error ?? run?.result?.error;
      return ok({ ...report, running: run?.running ?? false, ...(error ? { error: errorLine(error) } : {}) });
    }),
  );

  server.registerTool(
    'dialogue_list',
    { title: 'List dialogues', description: 'Dialogues of this workspace, newest first, with status and judged rounds.', inputSchema: {} },
    guarded(log, () =>
      withStore(root, (store) => {
        const dialogues = dialogueRows(store).map((d) => ({ id: d.id, status: d.status, running: runs.get(d.id)?.running ?? false, rounds: d.rounds, question: d.question }));
        return ok({ dialogues });
      }),
    ),
  );

  server.registerTool(
    'dialogue_show',
    {
      title: 'Show a dialogue document',
      description: `A dialogue document: ${DIALOGUE_DOCS.join(', ')}; or a round's summary, panel or responses (with round).`,
      inputSchema: {
        id,
        doc: z.enum([...DIALOGUE_DOCS, 'summary', 'panel', 'responses']).default('verdict'),
        round: z.int().min(0).optional().describe('round for summary, panel and responses (default: the last judged)'),
      },
    },
    guarded(log, (args) =>
      withStore(root, (store) => {
        const data = loadDialogue(store, args.id);
        const isRoundDoc = args.doc === 'summary' || args.doc === 'panel' || args.doc === 'responses';
        if (!isRoundDoc) {
          const doc = locateDoc(store, data.dialogue.id, args.doc);
          return ok({ id: data.dialogue.id, doc: args.doc, uri: doc.uri, file: doc.file, text: readDoc(root, doc) }, readDoc(root, doc));
        }
        const round = args.round ?? lastJudgedRound(data.rounds);
        if (args.doc === 'responses') {
          const responses = store.responses(data.dialogue.id, round).map((r) => ({ expert: r.expert, status: r.status, uri: roundDocUri(data.dialogue.id, round, r.expert), text: r.text, ...(r.absent_reason ? { absentReason: r.absent_reason } : {}) }));
          const text = responses.map((r) => `## ${r.expert}${r.status === 'absent' ? ` (absent: ${r.absentReason ?? '?'})` : ''}\n\n${r.text}`).join('\n\n');
          return ok({ id: data.dialogue.id, doc: 'responses', round, responses }, text || `round ${round} has no responses`);
        }
        const doc = locateDoc(store, data.dialogue.id, args.doc, round);
        const text = readDoc(root, doc);
        return ok({ id: data.dialogue.id, doc: args.doc, round, uri: doc.uri, file: doc.file, text }, text);
      }),
    ),
  );

  server.registerTool(
    'dialogue_steer',
    {
      title: 'Steer a dialogue',
      description: 'Adds a constraint the next round must respect (a CONSTRAINT PIVOT); resume the dialogue to run it.',
      inputSchema: { id, constraint: z.string().min(1) },
    },
    guarded(log, (args) => withStore(root, (store) => ok({ ...steerDialogue({ store, clock, ...leaseOption(deps) }, args.id, args.constraint) }))),
  );

  server.registerTool(
    'dialogue_promote',
    {
      title: 'Promote a dialogue to an RFC',
      description: 'Writes rfcs/NNNN-slug.draft.md from a converged dialogue (allowForced for one that ended forced), or amends RFC `rfc`.',
      inputSchema: { id: optionalId, allowForced: z.boolean().optional(), rfc: z.int().min(1).max(9999).optional() },
    },
    guarded(log, (args) =>
      withStore(root, (store) => {
        const input = promotionInput(loadDialogue(store, args.id ?? newestDialogueId(store, 'dialogue_start first')), clock.now().toISOString().slice(0, 10));
        const out = promoteDialogue(root, store.documentIndex(), input, { ...(args.allowForced ? { allowForced: true } : {}), ...(args.rfc ? { rfc: args.rfc } : {}) }, { now: clock.now().toISOString() });
        return ok({ dialogueId: input.dialogueId, ...out });
      }),
    ),
  );
}

/** The started-run result; one progress note when the client asked for progress. */
async function started(runs: RunRegistry, dialogueId: string, extra: Parameters<typeof progressFor>[0]) {
  const progress = progressFor(extra);
  progress.report(`dialogue ${dialogueId} running`);
  await progress.flush();
  const dir = runs.get(dialogueId)?.dir ?? '';
  return ok({ id: dialogueId, dir, status: 'running' as const }, `started ${dialogueId} (running in the background); follow it with dialogue_status`);
}

function optional(llm: Awaited<ReturnType<McpDeps['providers']>>): { judge?: NonNullable<typeof llm.judge>; recording?: NonNullable<typeof llm.recording> } {
  return { ...(llm.judge ? { judge: llm.judge } : {}), ...(llm.recording ? { recording: llm.recording } : {}) };
}

function errorLine(err: unknown): string {
  return err instanceof Error && 'oneLine' in err && typeof err.oneLine === 'function' ? String(err.oneLine()) : String(err);
}

/** `{lease}` for the engine deps when the server was given a lease source. */
function leaseOption(deps: McpDeps): { lease?: LeaseOptions } {
  return deps.lease ? { lease: deps.lease() } : {};
}
