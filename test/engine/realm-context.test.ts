/**
 * Dialogue ↔ realm: `--realm-context` puts the realm contracts that involve this repo into
 * every expert's prompt, and promotion lists the contracts in the RFC header.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { testContext } from '../orchestrator/helpers.ts';
import { S3_SCHEMA, cli, initRepo, tempDir, write } from '../realm/helpers.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');

describe('--realm-context', () => {
  it("adds this repo's contracts to the prompts and lists them in the promoted RFC", async () => {
    const base = tempDir();
    const realmDir = path.join(base, 'realm-letemcook');
    const aperture = initRepo(path.join(base, 'aperture'));
    const realm = cli();
    expect((await realm(base, 'init', '--name', 'letemcook', '--path', realmDir)).code).toBe(0);
    expect((await realm(aperture, 'join', realmDir)).code).toBe(0);
    expect((await realm(aperture, 'domain', 'create', 's3-access', '--repos', 'aperture')).code).toBe(0);
    write(aperture, 'schema.json', JSON.stringify(S3_SCHEMA));
    write(aperture, 'value.yaml', 'read: [models/training/*]\n');
    const created = await realm(aperture, 'contract', 'create', 's3-permissions', '--domain', 's3-access', '--owner', 'aperture', '--schema', 'schema.json', '--value', 'value.yaml');
    expect(created.code, created.err).toBe(0);

    const ctx = testContext(aperture);
    const question = 'How should we version our public HTTP API?';
    const code = await main(['dialogue', 'start', question, '--provider', 'replay', '--replay', EXAMPLE, '--realm-context', '--quiet'], ctx);
    expect(code, ctx.err()).toBe(0);
    const dir = fs.readdirSync(path.join(aperture, 'dialogues'))[0]!;
    const prompt = fs.readFileSync(path.join(aperture, 'dialogues', dir, 'round-0', 'muffin.prompt.md'), 'utf8');
    expect(prompt).toContain('domains/s3-access/contracts/s3-permissions.yaml');
    expect(prompt).toContain('s3-permissions');

    const promote = testContext(aperture);
    expect(await main(['dialogue', 'promote', dir], promote), promote.err()).toBe(0);
    const rfc = fs.readdirSync(path.join(aperture, 'rfcs'))[0]!;
    expect(fs.readFileSync(path.join(aperture, 'rfcs', rfc), 'utf8')).toMatch(/\| \*\*Contracts\*\* +\| s3-access\/s3-permissions +\|/);
  }, 60_000);
});
