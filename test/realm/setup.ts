/** Builds a realm with aperture (exporter) and fungal (importer) through the CLI. */
import path from 'node:path';
import { S3_SCHEMA, cli, initRepo, tempDir, write } from './helpers.ts';

/** Paths and the runner of a ready realm: domain s3-access, contract s3-permissions 1.0.0 imported by fungal. */
export async function readyRealm(): Promise<{
  run: ReturnType<typeof cli>;
  top: string;
  realm: string;
  aperture: string;
  fungal: string;
}> {
  const run = cli();
  const top = tempDir();
  const aperture = initRepo(path.join(top, 'aperture'));
  const fungal = initRepo(path.join(top, 'fungal'));
  const realm = path.join(top, 'realm-letemcook');
  write(aperture, 'schema.json', JSON.stringify(S3_SCHEMA));
  write(aperture, 'value.yaml', 'read: ["jobs/*/masks/*"]\n');
  write(aperture, 'src.py', 'x = 1\n');
  const steps: [string, string[]][] = [
    [top, ['init', '--name', 'letemcook', '--path', 'realm-letemcook']],
    [aperture, ['join', '../realm-letemcook']],
    [fungal, ['join', '../realm-letemcook']],
    [aperture, ['domain', 'create', 's3-access', '--repos', 'aperture,fungal']],
    [aperture, ['contract', 'create', 's3-permissions', '--domain', 's3-access', '--owner', 'aperture', '--schema', 'schema.json', '--value', 'value.yaml']],
    [aperture, ['binding', 'export', 's3-permissions', '--source', 'src.py']],
    [fungal, ['binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0']],
  ];
  for (const [cwd, argv] of steps) {
    const r = await run(cwd, ...argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.err}`);
  }
  return { run, top, realm, aperture, fungal };
}
