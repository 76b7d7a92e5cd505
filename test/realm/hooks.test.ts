/** Validation hooks run only with --run-hooks; exit 0 passes, 2 warns, other codes fail. */
import { describe, expect, it } from 'vitest';
import { S3_SCHEMA, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

describe('validation hooks', () => {
  it('runs the exporter hook only with --run-hooks', async () => {
    const { run, aperture } = await readyRealm();
    write(aperture, 'schema.json', JSON.stringify(S3_SCHEMA));
    const created = await run(aperture, 'domain', 'create', 'hooks', '--repos', 'aperture');
    expect(created.code).toBe(0);
    write(aperture, 'h.py', 'x\n');
    expect((await run(aperture, 'contract', 'create', 'hooked', '--domain', 'hooks', '--owner', 'aperture', '--schema', 'schema.json', '--value', 'value.yaml', '--exporter-hook', 'test -f marker || exit 3')).code).toBe(0);
    expect((await run(aperture, 'binding', 'export', 'hooked', '--source', 'h.py')).code).toBe(0);
    expect((await run(aperture, 'check', '--mode', 'exporter')).code).toBe(0);
    const failed = await run(aperture, 'check', '--mode', 'exporter', '--run-hooks');
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('error: exporter hook of "hooked" failed (exit 3): test -f marker || exit 3');
    write(aperture, 'marker', '');
    expect((await run(aperture, 'check', '--mode', 'exporter', '--run-hooks')).code).toBe(0);
  });
});
