import type { Command } from '../../lib/command.js';

/**
 * Every server-side step of a release is one subcommand of this constant bash script. Inputs travel
 * only as positional arguments (quoted by the executor), so nothing from a workflow is parsed as shell.
 *
 * Layout under <base>: releases/<id>/, shared/, current -> releases/<id>,
 * .deploy-kit/{lock/, order (release ids in upload order), bad/<id>, releases.log}.
 */
export const REMOTE_SCRIPT = String.raw`set -euo pipefail
cmd=$1; base=$2; shift 2
meta="$base/.deploy-kit"
current_id() { local t; t=$(readlink -- "$base/current" 2>/dev/null) || return 0; printf '%s\n' "\${t##*/}"; }
case "$cmd" in
  prepare)
    mkdir -p -- "$base/releases" "$base/shared" "$meta/bad"
    touch -- "$meta/order"
    current_id ;;
  lock)
    owner=$1
    mkdir -p -- "$meta"
    if mkdir -- "$meta/lock" 2>/dev/null; then
      printf '%s\n' "$owner" > "$meta/lock/owner"; echo acquired
    else
      echo held; echo "$(cat -- "$meta/lock/owner" 2>/dev/null || echo unknown)"
      echo "$(( $(date +%s) - $(stat -c %Y -- "$meta/lock" 2>/dev/null || date +%s) ))"
    fi ;;
  unlock)
    owner=$1
    if [ "$(cat -- "$meta/lock/owner" 2>/dev/null || true)" = "$owner" ]; then rm -rf -- "$meta/lock"; echo released; fi ;;
  record)
    id=$1
    grep -qxF -- "$id" "$meta/order" || printf '%s\n' "$id" >> "$meta/order" ;;
  link-shared)
    id=$1; shift
    rel="$base/releases/$id"
    for s in "$@"; do
      mkdir -p -- "$(dirname -- "$base/shared/$s")" "$(dirname -- "$rel/$s")"
      if [ ! -e "$base/shared/$s" ] && [ -e "$rel/$s" ] && [ ! -L "$rel/$s" ]; then
        mv -- "$rel/$s" "$base/shared/$s"
      fi
      if [ ! -e "$base/shared/$s" ]; then
        case "$s" in */|*.*) touch -- "$base/shared/$s" ;; *) mkdir -p -- "$base/shared/$s" ;; esac
      fi
      rm -rf -- "$rel/$s"
      ln -s -- "$base/shared/$s" "$rel/$s"
    done ;;
  switch)
    id=$1
    [ -d "$base/releases/$id" ] || { echo "release $id does not exist under $base/releases" >&2; exit 3; }
    ln -sfn -- "releases/$id" "$base/.current.tmp"
    mv -T -- "$base/.current.tmp" "$base/current"
    echo "current -> releases/$id" ;;
  current)
    current_id ;;
  exists)
    [ -d "$base/releases/$1" ] ;;
  rollback-target)
    cur=$(current_id); explicit=\${1:-}
    if [ -n "$explicit" ]; then
      [ -d "$base/releases/$explicit" ] || { echo "release $explicit does not exist" >&2; exit 3; }
      printf '%s\n' "$explicit"; exit 0
    fi
    found=""; seen=0
    while IFS= read -r id; do
      [ "$id" = "$cur" ] && { seen=1; break; }
      [ -d "$base/releases/$id" ] && [ ! -e "$meta/bad/$id" ] && found=$id
    done < "$meta/order"
    [ "$seen" = 1 ] && [ -n "$found" ] || { echo "no earlier good release to roll back to (current: \${cur:-none})" >&2; exit 4; }
    printf '%s\n' "$found" ;;
  mark-bad)
    [ -n "$1" ] && touch -- "$meta/bad/$1" ;;
  prune)
    keep=$1; shift
    keepers=" $(current_id) $* "
    mapfile -t ids < <(grep -v '^$' "$meta/order" || true)
    n=\${#ids[@]}; removed=()
    for ((i = 0; i < n - keep; i++)); do
      id=\${ids[$i]}
      case "$keepers" in *" $id "*) continue ;; esac
      rm -rf -- "$base/releases/$id" "$meta/bad/$id"; removed+=("$id")
    done
    if ((\${#removed[@]})); then
      grep -vxF -f <(printf '%s\n' "\${removed[@]}") "$meta/order" > "$meta/order.tmp" || true
      mv -T -- "$meta/order.tmp" "$meta/order"
      printf '%s\n' "\${removed[@]}"
    fi ;;
  discard)
    id=$1
    [ "$(current_id)" = "$id" ] || rm -rf -- "$base/releases/$id" ;;
  log)
    printf '%s\n' "$1" >> "$meta/releases.log" ;;
  *) echo "unknown subcommand $cmd" >&2; exit 2 ;;
esac
`.replace(/\\\$\{/g, '$' + '{'); // \${ above keeps the template literal from interpolating bash's ${…}

export function remoteStep(step: string, base: string, ...args: string[]): Command {
  return {
    argv: ['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT, 'deploy-kit', step, base, ...args],
    label: `${step} ${args[0] ?? ''}`.trim(),
  };
}

/** A user command (before-activate, after-activate) with strict bash semantics in the release dir. */
export function userCommand(command: string, cwd: string, env: Record<string, string>): Command {
  return { argv: ['bash', '-euo', 'pipefail', '-c', command], cwd, env, label: command.split('\n')[0]!.slice(0, 80) };
}
