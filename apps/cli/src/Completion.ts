/**
 * Shell completion: `dixa completion bash|zsh|fish` prints a small script that asks
 * `dixa __complete <shell> -- <words...>` for the candidates at each TAB, so every group, action, flag
 * and flag value of the catalog completes, and nothing is written per shell but the glue.
 *
 * @since 0.1.0
 */
import type * as CommandLine from "./CommandLine.js"

/** The shells we write scripts for. */
export const shells = ["bash", "zsh", "fish"] as const
export type Shell = (typeof shells)[number]

/** Whether a word names one of {@link shells}. */
export const isShell = (word: string | undefined): word is Shell => shells.includes(word as Shell)

const bash = `# dixa completion for bash: eval "$(dixa completion bash)" (e.g. in ~/.bashrc)
_dixa_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(dixa __complete bash -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _dixa_complete dixa
`

const zsh = `#compdef dixa
# dixa completion for zsh: eval "$(dixa completion zsh)" after compinit (e.g. in ~/.zshrc)
_dixa() {
  local -a candidates
  candidates=("\${(@f)$(dixa __complete zsh -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=("\${(@)candidates:#}")
  (( \${#candidates} )) && _describe -t dixa dixa candidates || _files
}
if (( $+functions[compdef] )); then compdef _dixa dixa; fi
`

const fish = `# dixa completion for fish: dixa completion fish > ~/.config/fish/completions/dixa.fish
function __dixa_complete
    set -l words (commandline -opc)
    dixa __complete fish -- $words[2..-1] (commandline -ct | string collect --allow-empty) 2>/dev/null
end
complete -c dixa -f -a '(__dixa_complete)'
`

/** The completion script for a shell. */
export const script = (shell: Shell): string => ({ bash, zsh, fish })[shell]

/** Candidates as the shell's script reads them: names (bash), `name:text` (zsh), `name<TAB>text` (fish). */
export const format = (shell: Shell, candidates: ReadonlyArray<CommandLine.Candidate>): string =>
  candidates.map((c) => {
    const text = c.text.replace(/\s+/g, " ").slice(0, 80)
    if (shell === "bash" || text === "") return shell === "zsh" ? c.value.replace(/:/g, "\\:") : c.value
    return shell === "zsh" ? `${c.value.replace(/:/g, "\\:")}:${text}` : `${c.value}\t${text}`
  }).join("\n")
