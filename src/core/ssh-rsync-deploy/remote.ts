import type { Command } from '../../lib/command.js';
import { LOCK_SH } from '../../lib/lock.js';
import { HISTORY_KEEP } from '../../lib/release-history.js';

/**
 * Every server-side step of a release is an op of this constant bash script, and one remote call runs a
 * list of ops in order (`set -e`: the first failing op ends the call; what ran before it printed its `@`
 * line). Inputs travel only as positional arguments (quoted by the executor): nothing from a workflow is
 * parsed as shell. A deploy of one host needs two calls around the rsync: before it, check-base + lock +
 * prepare + state + new-release; after it, complete + switch + history + log + prune + unlock.
 *
 * Layout under <base>: releases/<id>/, shared/, current -> releases/<id>, .deploy-kit/{lock/, order
 * (release ids in upload order, for pruning), bad/<id>, partial/<id> (an upload not finished yet),
 * releases.jsonl (activation history, see src/lib/release-history.ts), releases.log (human-readable)}.
 *
 * Lines the script prints for the caller start with `@`: `@lock …`, `@current <id>`, `@release <id>`,
 * `@bad <id>`, `@history <json>`, `@created <id>`, `@switched <id>`, `@pruned <id>`, `@discarded <id>`,
 * `@unlock released`, `@note <text>`.
 */
export const REMOTE_SCRIPT = String.raw`set -euo pipefail
base=$1; shift
meta="$base/.deploy-kit"
${LOCK_SH}
current_id() { local t; t=$(readlink -- "$base/current" 2>/dev/null) || return 0; printf '%s\n' "\${t##*/}"; }
ever_live() { [ -f "$meta/releases.jsonl" ] && grep -qF -- "{\"event\":\"activate\",\"id\":\"$1\"," "$meta/releases.jsonl"; }
refuse_base() { echo "refusing to deploy into $base: it resolves to $1 on this host ($2); use a directory of its own below it, e.g. $1/app" >&2; exit 8; }
op_check_base() {
  local real
  real=$(realpath -m -- "$base")
  local homes=()
  mapfile -t homes < <({ getent passwd 2>/dev/null || cat /etc/passwd; } | cut -d: -f6 | grep '^/' || true)
  [ -z "\${HOME:-}" ] || homes+=("$HOME")
  # (no grep -q: it would close the pipe early, and pipefail would turn a match into a failure)
  if ((\${#homes[@]})) && [ -n "$(realpath -m -- "\${homes[@]}" | grep -xF -- "$real")" ]; then
    refuse_base "$real" 'the home directory of an account'
  fi
  case "$real" in
    /|/bin|/boot|/dev|/etc|/home|/lib|/lib32|/lib64|/libx32|/media|/mnt|/opt|/proc|/root|/run|/sbin|/srv|/sys|/tmp|/usr|/var|/snap)
      refuse_base "$real" 'a system directory' ;;
    /usr/*/*|/var/*/*) ;;
    /usr/*|/var/*) refuse_base "$real" 'a system directory' ;;
    /proc/*|/sys/*|/dev/*|/boot/*|/etc/*|/bin/*|/sbin/*|/lib/*|/lib32/*|/lib64/*|/run/*)
      refuse_base "$real" 'inside a system directory' ;;
  esac
  return 0
}
op_prepare() {
  mkdir -p -- "$base/releases" "$base/shared" "$meta/bad" "$meta/partial"
  touch -- "$meta/order"
}
op_state() {
  local id
  printf '@current %s\n' "$(current_id)"
  for id in "$base"/releases/*; do [ -d "$id" ] && printf '@release %s\n' "\${id##*/}"; done
  for id in "$meta"/bad/*; do [ -e "$id" ] && printf '@bad %s\n' "\${id##*/}"; done
  for id in "$meta"/partial/*; do [ -e "$id" ] && printf '@partial %s\n' "\${id##*/}"; done
  if [ -f "$meta/releases.jsonl" ]; then tail -n ${HISTORY_KEEP} -- "$meta/releases.jsonl" | sed 's/^/@history /'; fi
  return 0
}
op_new_release() {
  local id=$1 rel="$base/releases/$1"
  if [ -e "$rel" ] || [ -L "$rel" ]; then
    if [ -e "$meta/partial/$id" ] && [ "$(current_id)" != "$id" ] && ! ever_live "$id"; then
      rm -rf -- "$rel"; echo "@note removed the unfinished upload of $id left by an interrupted run"
    else
      echo "release $id already exists under $base/releases on this host; nothing was uploaded. Every upload needs a new release-id (to switch to an uploaded release use activate: only)" >&2
      exit 6
    fi
  fi
  : > "$meta/partial/$id"
  mkdir -- "$rel"
  echo "@created $id"
}
op_require() {
  local id=$1
  if [ ! -d "$base/releases/$id" ] || [ -e "$meta/partial/$id" ]; then
    echo "release $id was not uploaded completely to $base/releases on this host; run with activate: false first" >&2; exit 3
  fi
  if [ -e "$meta/bad/$id" ]; then
    echo "release $id is marked bad on this host (its release phase or health gate failed); upload a new release" >&2; exit 3
  fi
}
op_complete() {
  rm -f -- "$meta/partial/$1"
  grep -qxF -- "$1" "$meta/order" || printf '%s\n' "$1" >> "$meta/order"
}
no_link_parents() {
  local p=$1 rest=$2 c
  while [[ "$rest" == */* ]]; do
    c=\${rest%%/*}; rest=\${rest#*/}; p="$p/$c"
    if [ -L "$p" ]; then
      echo "shared entry $2: $p is a symbolic link; deploy-kit never follows a link out of the release (remove the link from the upload, or list the link itself in shared)" >&2
      exit 5
    fi
  done
}
op_link_shared() {
  local id=$1 s want; shift
  local rel="$base/releases/$id" sh="$base/shared"
  for s in "$@"; do
    want=auto
    case "$s" in */) want=dir; s=\${s%/} ;; esac
    no_link_parents "$rel" "$s"; no_link_parents "$sh" "$s"
    mkdir -p -- "$(dirname -- "$rel/$s")" "$(dirname -- "$sh/$s")"
    if [ ! -e "$sh/$s" ] && [ ! -L "$sh/$s" ] && [ -e "$rel/$s" ] && [ ! -L "$rel/$s" ]; then
      mv -T -- "$rel/$s" "$sh/$s"
    fi
    if [ ! -e "$sh/$s" ] && [ ! -L "$sh/$s" ]; then
      if [ "$want" = dir ]; then mkdir -p -- "$sh/$s"
      else case "\${s##*/}" in *.*) : > "$sh/$s" ;; *) mkdir -p -- "$sh/$s" ;; esac; fi
    fi
    rm -rf -- "$rel/$s"
    ln -s -- "$sh/$s" "$rel/$s"
  done
}
op_switch() {
  local id=$1
  [ -d "$base/releases/$id" ] || { echo "release $id does not exist under $base/releases" >&2; exit 3; }
  ln -sfn -- "releases/$id" "$base/.current.tmp"
  mv -T -- "$base/.current.tmp" "$base/current"
  echo "@switched $id"
}
op_history() {
  local l
  for l in "$@"; do printf '%s\n' "$l" >> "$meta/releases.jsonl"; done
}
op_mark_bad() {
  : > "$meta/bad/$1"
  printf '%s\n' "$2" >> "$meta/releases.jsonl"
}
op_log() { printf '%s\n' "$1" >> "$meta/releases.log"; }
op_prune() {
  local keep=$1 keepers id i n; shift
  keepers=" $(current_id) $* "
  mapfile -t ids < <(grep -v '^$' "$meta/order" || true)
  n=\${#ids[@]}; local removed=()
  for ((i = 0; i < n - keep; i++)); do
    id=\${ids[$i]}
    case "$keepers" in *" $id "*) continue ;; esac
    rm -rf -- "$base/releases/$id" "$meta/bad/$id"; removed+=("$id"); echo "@pruned $id"
  done
  if ((\${#removed[@]})); then
    grep -vxF -f <(printf '%s\n' "\${removed[@]}") "$meta/order" > "$meta/order.tmp" || true
    mv -T -- "$meta/order.tmp" "$meta/order"
  fi
  if [ -f "$meta/releases.jsonl" ] && [ "$(wc -l < "$meta/releases.jsonl")" -gt ${HISTORY_KEEP} ]; then
    tail -n ${HISTORY_KEEP} -- "$meta/releases.jsonl" > "$meta/releases.jsonl.tmp"
    mv -T -- "$meta/releases.jsonl.tmp" "$meta/releases.jsonl"
  fi
}
op_discard() {
  local id=$1
  if [ "$(current_id)" = "$id" ] || ever_live "$id"; then echo "@note kept $id: it is or was live"; return 0; fi
  rm -rf -- "$base/releases/$id"; rm -f -- "$meta/partial/$id"; echo "@discarded $id"
}
while (($# > 0)); do
  n=$1; op=$2; shift 2
  ((n <= $#)) || { echo "deploy-kit: malformed op list" >&2; exit 2; }
  args=("\${@:1:n}"); shift "$n"
  case "$op" in
    check-base) op_check_base ;;
    lock) rc=0; dk_lock "$base" "\${args[0]}" || rc=$?; ((rc == 0)) || { ((rc == 75)) && exit 0; exit "$rc"; } ;;
    unlock) dk_unlock "$base" "\${args[0]}" ;;
    prepare) op_prepare ;;
    state) op_state ;;
    new-release) op_new_release "\${args[@]}" ;;
    require) op_require "\${args[@]}" ;;
    complete) op_complete "\${args[@]}" ;;
    link-shared) op_link_shared "\${args[@]}" ;;
    switch) op_switch "\${args[@]}" ;;
    history) op_history "\${args[@]}" ;;
    mark-bad) op_mark_bad "\${args[@]}" ;;
    log) op_log "\${args[@]}" ;;
    prune) op_prune "\${args[@]}" ;;
    discard) op_discard "\${args[@]}" ;;
    *) echo "deploy-kit: unknown op $op" >&2; exit 2 ;;
  esac
done
`.replace(/\\\$\{/g, '$' + '{'); // \${ above keeps the template literal from interpolating bash's ${…}

export type Op =
  | ['check-base']
  | ['lock', string]
  | ['unlock', string]
  | ['prepare']
  | ['state']
  | ['new-release', string]
  | ['require', string]
  | ['complete', string]
  | ['link-shared', string, ...string[]]
  | ['switch', string]
  | ['history', ...string[]]
  | ['mark-bad', string, string]
  | ['log', string]
  | ['prune', string, ...string[]]
  | ['discard', string];

/** One remote call running `ops` in order on the layout at `base`. */
export function batchCommand(base: string, ops: readonly Op[]): Command {
  if (ops.length === 0) throw new Error('batchCommand: no ops');
  const args: string[] = [];
  for (const [name, ...rest] of ops) args.push(String(rest.length), name, ...rest);
  return {
    argv: ['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT, 'deploy-kit', base, ...args],
    label: ops.map((o) => o[0]).join(' + '),
  };
}

export interface BatchOutput {
  current?: string;
  releases: string[];
  bad: string[];
  partial: string[];
  history: string[];
  created: string[];
  switched: string[];
  pruned: string[];
  discarded: string[];
  unlocked: boolean;
  notes: string[];
}

/** Reads the `@` lines a batch printed. */
export function parseBatch(stdout: string): BatchOutput {
  const o: BatchOutput = {
    releases: [],
    bad: [],
    partial: [],
    history: [],
    created: [],
    switched: [],
    pruned: [],
    discarded: [],
    unlocked: false,
    notes: [],
  };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('@')) continue;
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line.slice(1) : line.slice(1, sp);
    const v = sp < 0 ? '' : line.slice(sp + 1);
    switch (tag) {
      case 'current':
        o.current = v.trim();
        break;
      case 'release':
      case 'bad':
      case 'partial':
      case 'created':
      case 'switched':
      case 'pruned':
      case 'discarded':
        o[tag === 'release' ? 'releases' : tag].push(v);
        break;
      case 'history':
        o.history.push(v);
        break;
      case 'unlock':
        o.unlocked ||= v === 'released';
        break;
      case 'note':
        o.notes.push(v);
        break;
    }
  }
  return o;
}

/** A user command (before-activate, after-activate) with strict bash semantics in the release dir. */
export function userCommand(command: string, cwd: string, env: Record<string, string>): Command {
  return { argv: ['bash', '-euo', 'pipefail', '-c', command], cwd, env, label: command.split('\n')[0]!.slice(0, 80) };
}
