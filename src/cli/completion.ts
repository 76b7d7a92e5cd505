/**
 * `blue completion bash|zsh|fish`: a completion script generated from the command tree.
 * Commander has no built-in; each script embeds one table "command path → words" (the
 * subcommands and long options there) and walks the typed words to find the path.
 */
import type { Command } from 'commander';

/** Shells with a completion script. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
/** One of {@link COMPLETION_SHELLS}. */
export type Shell = (typeof COMPLETION_SHELLS)[number];

/** Program names the scripts register for. */
const PROGRAMS = ['blue', 'blue-dialogue'];

/** One command path (`''` for the program, `'rfc create'`) and the words completed after it. */
export interface CompletionEntry {
  path: string;
  words: string[];
}

/** Every command path of `program` with its subcommand names and long options. */
export function completionTable(program: Command): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const visit = (cmd: Command, path: string): void => {
    const options = cmd.options.flatMap((o) => (o.long ? [o.long] : []));
    out.push({ path, words: [...cmd.commands.map((c) => c.name()), ...options, '--help'] });
    for (const sub of cmd.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
  return out;
}

/** The completion script for `shell`, to be `source`d (or saved where the shell loads it). */
export function completionScript(program: Command, shell: Shell): string {
  const table = completionTable(program);
  if (shell === 'fish') return fishScript(table);
  // zsh's `print -r --` prints words such as `--help` literally; bash's echo already does.
  const emit = shell === 'bash' ? 'echo' : 'print -r --';
  const cases = table.map((e) => `    ${quote(e.path)}) ${emit} ${quote(e.words.join(' '))} ;;`).join('\n');
  const words = `_blue_words() {\n  case "$1" in\n${cases}\n    *) return 1 ;;\n  esac\n}\n`;
  return shell === 'bash' ? bashScript(words) : zshScript(words);
}

/** Single-quoted for sh-like shells and fish (our words never contain a quote). */
function quote(text: string): string {
  return `'${text.replaceAll("'", "")}'`;
}

function bashScript(words: string): string {
  return `# blue completion for bash. Load it with: source <(blue completion bash)
${words}
_blue() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" next i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ "\${COMP_WORDS[i]}" == -* ]] && continue
    next="\${cmdpath:+$cmdpath }\${COMP_WORDS[i]}"
    _blue_words "$next" >/dev/null && cmdpath="$next"
  done
  COMPREPLY=($(compgen -W "$(_blue_words "$cmdpath")" -- "$cur"))
}
complete -F _blue ${PROGRAMS.join(' ')}
`;
}

function zshScript(words: string): string {
  return `#compdef ${PROGRAMS.join(' ')}
# blue completion for zsh. Load it with: source <(blue completion zsh) (after compinit)
${words}
_blue() {
  local cmdpath="" next w
  for w in \${words[2,CURRENT-1]}; do
    [[ $w == -* ]] && continue
    next="\${cmdpath:+$cmdpath }$w"
    _blue_words "$next" >/dev/null && cmdpath="$next"
  done
  compadd -- \${=$(_blue_words "$cmdpath")}
}
compdef _blue ${PROGRAMS.join(' ')}
`;
}

function fishScript(table: CompletionEntry[]): string {
  const cases = table.map((e) => `        case ${quote(e.path)}\n            string split -- ' ' ${quote(e.words.join(' '))}`).join('\n');
  return `# blue completion for fish. Load it with: blue completion fish | source
function __blue_words
    switch "$argv[1]"
${cases}
        case '*'
            return 1
    end
end

function __blue_complete
    set -l cmdpath ''
    for w in (commandline -opc)[2..-1]
        string match -q -- '-*' $w; and continue
        set -l next (string trim -- "$cmdpath $w")
        __blue_words "$next" >/dev/null; and set cmdpath $next
    end
    __blue_words "$cmdpath"
end

${PROGRAMS.map((p) => `complete -c ${p} -f -a '(__blue_complete)'`).join('\n')}
`;
}
