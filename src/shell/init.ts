/**
 * `tmc-orch shell-init <shell>`: a shell function named tmc-orch that a shell's rc file loads
 * (`eval "$(tmc-orch shell-init bash)"`). A process cannot change its parent's directory, so
 * `tmc-orch switch <worktree>` prints the worktree's path as its one line of stdout, and the
 * function changes into it; every other command goes to the binary unchanged. TMC_ORCH_SHELL
 * tells switch it runs under the function (otherwise it says how to set it up).
 */

export type Shell = 'bash' | 'zsh' | 'fish';

const posix = `# tmc-orch shell integration: tmc-orch switch <worktree> changes directory.
tmc-orch() {
  if [ "$#" -gt 0 ] && [ "$1" = switch ]; then
    shift
    local __tmc_orch_dir
    __tmc_orch_dir="$(TMC_ORCH_SHELL=1 command tmc-orch switch "$@")" || return
    if [ -d "$__tmc_orch_dir" ]; then
      builtin cd -- "$__tmc_orch_dir"
    elif [ -n "$__tmc_orch_dir" ]; then
      printf '%s\\n' "$__tmc_orch_dir"
    fi
  else
    command tmc-orch "$@"
  fi
}
`;

const fish = `# tmc-orch shell integration: tmc-orch switch <worktree> changes directory.
function tmc-orch --wraps tmc-orch --description 'tmc-orch, with switch changing directory'
    if test (count $argv) -gt 0; and test "$argv[1]" = switch
        # No pipe: set keeps the status of switch itself, so a failure (exit 1 or 2) returns it.
        set -l dir (env TMC_ORCH_SHELL=1 tmc-orch switch $argv[2..-1]); or return $status
        if test -d "$dir"
            builtin cd -- $dir
        else if test -n "$dir"
            printf '%s\\n' $dir
        end
    else
        command tmc-orch $argv
    end
end
`;

export function shellInit(shell: Shell): string {
  return shell === 'fish' ? fish : posix;
}
