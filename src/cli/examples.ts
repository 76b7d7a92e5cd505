/**
 * The `Examples:` block of every command's help, keyed by command path (`''` is `blue`
 * itself). One table so the wording stays consistent; a test checks every command has one.
 */
import type { Command } from 'commander';

const FIXTURE = 'fixtures/blue-dialogues/<folder>';
const RECORD = 'fixtures/blue-records/<name>.dialogue.recorded.md';

/** Command path → one or two example command lines (without the leading `blue`). */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': ['demo', 'dialogue start "How should we version our public API?" --pool product --max-cost 2'],
  dialogue: ['dialogue list', 'dialogue status'],
  'dialogue start': ['dialogue start "How should we version our public API?" --pool product --max-cost 2', `dialogue start "<question>" --provider replay --replay ${FIXTURE}`],
  'dialogue resume': ['dialogue resume <id> --max-cost 5'],
  'dialogue steer': ['dialogue steer <id> --constraint "no new infrastructure"'],
  'dialogue promote': ['dialogue promote <id>', 'dialogue promote <id> --rfc 3'],
  'dialogue status': ['dialogue status', 'dialogue status <id> --json'],
  'dialogue list': ['dialogue list', 'dialogue list --json'],
  'dialogue show': ['dialogue show <id>', 'dialogue show <id> --doc summary --round 2'],
  'dialogue lint': [`dialogue lint ${FIXTURE}`, 'dialogue lint <id> --json'],
  'dialogue rejudge': [`dialogue rejudge ${FIXTURE}`, `dialogue rejudge ${RECORD} --json`],
  'dialogue import': [`dialogue import ${RECORD}`, `dialogue import ${RECORD} --out imported --json`],
  'dialogue explain': [`dialogue explain ${FIXTURE} --round 3`, `dialogue explain ${RECORD}`],
  'dialogue export': ['dialogue export <id> > dialogue.json'],
  demo: ['demo', 'demo --json'],
  mcp: ['mcp', 'mcp   # from Claude Code: claude mcp add blue -- npx -y blue-dialogue mcp'],
  pool: ['pool list', 'pool validate pools/mine.yaml'],
  'pool list': ['pool list', 'pool list --json'],
  'pool show': ['pool show general', 'pool show pools/mine.yaml --json'],
  'pool validate': ['pool validate general', 'pool validate pools/mine.yaml'],
  'pool sample': ['pool sample infrastructure --size 6 --seed 42'],
  rfc: ['rfc create "Hybrid storage architecture"', 'rfc list --status draft'],
  'rfc create': ['rfc create "Hybrid storage architecture"'],
  'rfc list': ['rfc list', 'rfc list --status draft --json'],
  'rfc show': ['rfc show 1'],
  'rfc status': ['rfc status 1 --set accepted', 'rfc status 1 --set superseded --by 2', 'rfc status 7 --set implemented --rename-style dotted'],
  adr: ['adr create "Use SQLite for dialogue state" --rfc 1', 'adr list'],
  'adr create': ['adr create "Use SQLite for dialogue state" --rfc 1'],
  'adr list': ['adr list', 'adr list --json'],
  'adr show': ['adr show 1'],
  'adr status': ['adr status 1 --set accepted'],
  record: ['record list', 'record status <id> --set published'],
  'record list': ['record list', 'record list --status published --json'],
  'record status': ['record status <id> --set published'],
  index: ['index', 'index --json'],
  lint: ['lint', 'lint --fix', 'lint --json'],
  realm: ['realm init --name letemcook --path ../realm-letemcook', 'realm check --strict'],
  'realm init': ['realm init --name letemcook --path ../realm-letemcook'],
  'realm join': ['realm join ../realm-letemcook', 'realm join ../realm-letemcook --repo aperture', 'realm join ../realm-letemcook --ref v1.2.0'],
  'realm domain': ['realm domain create s3-access --repos aperture,fungal'],
  'realm domain create': ['realm domain create s3-access --repos aperture,fungal --description "S3 paths"'],
  'realm contract': ['realm contract create s3-permissions --domain s3-access --owner aperture --schema schema.json'],
  'realm contract create': ['realm contract create s3-permissions --domain s3-access --owner aperture --schema schema.json --value value.yaml'],
  'realm contract bump': ['realm contract bump s3-permissions --value value.yaml', 'realm contract bump s3-permissions --schema schema.json --change "add a bucket"'],
  'realm binding': ['realm binding export s3-permissions --source models/s3_paths.py'],
  'realm binding export': [
    'realm binding export s3-permissions --domain s3-access --source models/s3_paths.py',
    'realm binding export s3-permissions --source models/s3_paths.py --detect-field read --detect-files "models/*.py" --detect-pattern "READ = \"([^\"]+)\""',
  ],
  'realm binding import': ['realm binding import s3-permissions --version ">=1.0.0 <2.0.0"'],
  'realm check': ['realm check', 'realm check --mode compatibility --from 1.2.0 --to 1.3.0 --strict', 'realm check --mode exporter --no-cache'],
  'realm status': ['realm status', 'realm status --json', 'realm status --watch'],
  'realm sync': ['realm sync'],
  'realm contract publish': ['realm contract publish s3-permissions'],
  'realm approve': ['realm approve s3-permissions 2.0.0'],
  'realm admit': ['realm admit fungal'],
  'realm ack': ['realm ack'],
  'realm graph': ['realm graph', 'realm graph --mermaid'],
  'realm leave': ['realm leave', 'realm leave letemcook'],
  'realm list': ['realm list', 'realm list --json'],
  'realm cache': ['realm cache stats', 'realm cache clear'],
  'realm cache stats': ['realm cache stats', 'realm cache stats --json'],
  'realm cache clear': ['realm cache clear'],
  'realm worktree': ['realm worktree create s3-paths --domain s3-access', 'realm worktree list'],
  'realm worktree create': ['realm worktree create s3-paths --domain s3-access --domain metrics', 'realm worktree create rfc-3 --rfc 3'],
  'realm worktree list': ['realm worktree list', 'realm worktree list --json'],
  'realm worktree remove': ['realm worktree remove s3-paths'],
  'realm pr': ['realm pr create s3-paths', 'realm pr status s3-paths'],
  'realm pr create': ['realm pr create s3-paths', 'realm pr create --base main --title "Shared S3 paths"'],
  'realm pr status': ['realm pr status s3-paths'],
  'realm ci': ['realm ci init'],
  'realm ci init': ['realm ci init', 'realm ci init --realm-url https://github.com/org/realm.git --ref v1.2.0'],
  status: ['status', 'status --json'],
  init: ['init', 'init --json'],
  help: ['help rfc create', 'help exit-codes'],
  completion: ['completion bash > ~/.local/share/bash-completion/completions/blue', 'completion fish > ~/.config/fish/completions/blue.fish'],
};

/** The help text appended to the command at `path`, or undefined when the table has none. */
export function examplesText(path: string): string | undefined {
  const lines = EXAMPLES[path];
  return lines ? `\nExamples:\n${lines.map((l) => `  $ blue ${l}`).join('\n')}\n` : undefined;
}

/**
 * Appends the examples to every command of `program` that the table knows, and words the
 * groups' implicit `help` subcommand like the top-level one.
 */
export function applyExamples(program: Command): void {
  const visit = (cmd: Command, path: string): void => {
    const text = examplesText(path);
    if (text) cmd.addHelpText('after', text);
    if (path && cmd.commands.length > 0) cmd.helpCommand('help [command]', 'Show help for a command');
    for (const sub of cmd.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
}
