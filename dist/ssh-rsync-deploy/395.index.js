export const id = 395;
export const ids = [395];
export const modules = {

/***/ 395:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createDeployment: () => (/* binding */ createDeployment),
  deployMode: () => (/* binding */ deployMode),
  hostState: () => (/* binding */ hostState),
  runDeploy: () => (/* binding */ runDeploy)
});

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(737);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
;// CONCATENATED MODULE: ./src/lib/lock.ts



/**
 * Bash functions for the deploy lock under `<base>/.deploy-kit/lock` (a directory: `mkdir` succeeds for
 * exactly one run). `dk_lock base owner` prints `@lock acquired` and returns 0, or prints `@lock held…`
 * and returns 75. `dk_unlock base owner` removes the lock only when this owner holds it.
 */
const LOCK_SH = String.raw `dk_lock() {
  local m="$1/.deploy-kit" now at who
  mkdir -p -- "$m" || return 1
  if mkdir -- "$m/lock" 2>/dev/null; then
    printf '%s\n' "$2" > "$m/lock/owner"; echo '@lock acquired'; return 0
  fi
  who=$(head -n 1 -- "$m/lock/owner" 2>/dev/null | head -c 600 | tr '\t' ' ' || true)
  now=$(date +%s); at=$(stat -c %Y -- "$m/lock" 2>/dev/null || echo "$now")
  printf '@lock held\t%s\t%s\n' "\${who:-unknown}" "$((now - at))"; return 75
}
dk_unlock() {
  local m="$1/.deploy-kit"
  if [ "$(cat -- "$m/lock/owner" 2>/dev/null || true)" = "$2" ]; then rm -rf -- "$m/lock"; echo '@unlock released'; fi
}
`.replace(/\\\$\{/g, '$' + '{');
/** LOCK_SH's functions, then `call` with `$1` = base and `$2` = owner (as arguments, never in the script). */
function lockScript(call, base, owner, label) {
    return {
        argv: ['bash', '--norc', '--noprofile', '-c', `set -euo pipefail\n${LOCK_SH}${call}`, 'dk', base, owner],
        label,
    };
}
/** One attempt to take the lock of `base`. */
function lockCommand(base, owner) {
    return lockScript('dk_lock "$1" "$2" || [ $? = 75 ]', base, owner, 'lock');
}
function unlockCommand(base, owner) {
    return lockScript('dk_unlock "$1" "$2"', base, owner, 'unlock');
}
/** Reads what an attempt printed about the lock. */
function parseLockLine(stdout) {
    for (const line of stdout.split('\n')) {
        if (line === '@lock acquired')
            return { acquired: true };
        if (line.startsWith('@lock held\t')) {
            const [, heldBy = 'unknown', age = '0'] = line.split('\t');
            return { acquired: false, heldBy: heldBy.trim() || 'unknown', ageSec: Number(age) || 0 };
        }
    }
    throw new Error(`the lock step printed no lock state: ${stdout.slice(-300)}`);
}
/**
 * Atomic deploy lock on the server: `mkdir <base>/.deploy-kit/lock` succeeds for exactly one run.
 * Shared by ssh-rsync-deploy, the root action and run-release-phase, so uploads, switches and migrations
 * never interleave. Waits up to `timeoutMs`, polling; the error names the holder and, when it is older than
 * `ttlMs`, the directory to remove by hand.
 */
async function acquireLock(exec, base, o) {
    const deadline = Date.now() + o.timeoutMs;
    const attempt = o.attempt ?? lockCommand(base, o.owner);
    const maxAttempts = Math.ceil(o.timeoutMs / Math.max(1, o.pollMs ?? 1000)) + 2;
    for (let n = 1;; n++) {
        const r = await (0,types/* runChecked */.X4)(exec, attempt, { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs, signal: o.signal });
        const state = parseLockLine(r.stdout);
        if (state.acquired) {
            return {
                result: r,
                release: async () => {
                    // Not tied to the job's signal: a cancelled run must still let go of its lock.
                    const u = await exec
                        .run(unlockCommand(base, o.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs })
                        .catch((e) => ({ end: 'spawn-error', code: -1, stderr: e.message, stdout: '' }));
                    if (u.end === 'exit' && u.code === 0)
                        return undefined;
                    const why = u.end === 'exit' ? `exit ${u.code}: ${u.stderr.trim().split('\n').pop() ?? ''}` : u.end;
                    return `${exec.target}: could not release the deploy lock (${why.trim()}); if the next deploy waits for it, remove ${base}/.deploy-kit/lock on ${exec.target} by hand`;
                },
            };
        }
        o.onWait?.(state.heldBy, state.ageSec);
        if (Date.now() >= deadline || o.signal?.aborted || n >= maxAttempts) {
            const stale = state.ageSec * 1000 > o.ttlMs
                ? ` The lock is ${state.ageSec} s old, older than lock-ttl: if that run is gone, remove ${base}/.deploy-kit/lock on ${exec.target} by hand.`
                : '';
            throw new Error(`${exec.target}: ${base} is locked by another deploy (${state.heldBy}, ${state.ageSec} s ago); waited ${Math.round(o.timeoutMs / 1000)} s (lock-timeout).${stale}`);
        }
        await (0,retry/* sleep */.yy)(Math.min(o.pollMs ?? 1000, Math.max(1, deadline - Date.now())), o.signal).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/lib/release-history.ts
/** Where the history lives under a deploy base directory. */
const HISTORY_DIR = '.deploy-kit';
const HISTORY_FILE = 'releases.jsonl';
/** Lines kept when the history is trimmed (and read back): enough for any rollback, bounded in size. */
const HISTORY_KEEP = 1000;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** An image reference as written into `.env`: one word, never an option. */
const IMAGE_RE = /^[A-Za-z0-9][^\s]{0,499}$/;
/** Whether `image` can be recorded in an event (one word, not starting like an option). */
function isHistoryImage(image) {
    return IMAGE_RE.test(image);
}
/** The optional keys of an event, in the order they are written. */
const OPTIONAL_KEYS = ['from', 'how', 'image', 'reason', 'run', 'by'];
/** One history line, keys in a fixed order (a shell `grep -F` may look for `{"event":"activate","id":"<id>",`). */
function historyLine(e) {
    if (!ID_RE.test(e.id))
        throw new Error(`release history: "${e.id}" is not a release id or digest`);
    if (e.image !== undefined && !IMAGE_RE.test(e.image))
        throw new Error(`release history: "${e.image.slice(0, 80)}" is not an image reference`);
    const o = { event: e.event, id: e.id, at: e.at };
    for (const k of OPTIONAL_KEYS) {
        const v = e[k];
        if (v)
            o[k] = v.replace(/[\r\n]+/g, ' ').slice(0, 500);
    }
    return JSON.stringify(o);
}
/**
 * Appends events to the history of `base` (the directory that holds `.deploy-kit/`). The lines travel as
 * positional arguments of a constant script; nothing is parsed by a shell.
 */
function appendHistoryCommand(base, events) {
    return {
        argv: [
            'sh',
            '-c',
            'set -e; b=$1; shift; mkdir -p -- "$b/.deploy-kit"; for l in "$@"; do printf \'%s\\n\' "$l" >> "$b/.deploy-kit/releases.jsonl"; done',
            'sh',
            base,
            ...events.map(historyLine),
        ],
        label: `record ${events.map((e) => `${e.event} ${e.id}`).join(', ')}`,
    };
}
/**
 * Marks a release bad in a releases layout: a `bad` event in the history and the `bad/<id>` marker that
 * the server-side steps check (discard, prune).
 */
function markBadCommand(base, e) {
    const line = historyLine({ ...e, event: 'bad' });
    return {
        argv: [
            'sh',
            '-c',
            'set -e; m=$1/.deploy-kit; mkdir -p -- "$m/bad"; : > "$m/bad/$2"; printf \'%s\\n\' "$3" >> "$m/releases.jsonl"',
            'sh',
            base,
            e.id,
            line,
        ],
        label: `mark ${e.id} bad`,
    };
}
/** Parses history text; lines that are not a history event (torn writes, foreign text) are skipped. */
function parseHistory(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const t = line.trim();
        if (!t.startsWith('{'))
            continue;
        try {
            const o = JSON.parse(t);
            if ((o.event === 'activate' || o.event === 'bad' || o.event === 'upload') &&
                typeof o.id === 'string' &&
                ID_RE.test(o.id) &&
                typeof o.at === 'string') {
                const e = { event: o.event, id: o.id, at: o.at };
                for (const k of OPTIONAL_KEYS)
                    if (typeof o[k] === 'string' && (k !== 'image' || IMAGE_RE.test(o[k])))
                        e[k] = o[k];
                out.push(e);
            }
        }
        catch {
            // a torn or foreign line: not an event
        }
    }
    return out;
}
/** Ids marked bad in the history (or by markers). */
function badIds(q) {
    const bad = new Set(q.bad ?? []);
    for (const e of q.history)
        if (e.event === 'bad')
            bad.add(e.id);
    return bad;
}
/**
 * The release to roll back to: the most recent release `current` pointed at before, that is not the current
 * one, not marked bad and still exists. Never a release that only was uploaded. Undefined when there is none.
 */
function rollbackTarget(q) {
    const bad = badIds(q);
    const activations = q.history.filter((e) => e.event === 'activate');
    for (let i = activations.length - 1; i >= 0; i--) {
        const id = activations[i].id;
        if (id !== q.current && !bad.has(id) && q.existing.has(id))
            return id;
    }
    return undefined;
}
/** True when `id` was ever live (an `activate` event names it). */
function everLive(history, id) {
    return history.some((e) => e.event === 'activate' && e.id === id);
}
/** The image recorded by the newest `activate` of `id`, when the history has one. */
function imageOf(history, id) {
    for (let i = history.length - 1; i >= 0; i--) {
        const e = history[i];
        if (e.event === 'activate' && e.id === id && e.image)
            return e.image;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/remote.ts


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
const REMOTE_SCRIPT = String.raw `set -euo pipefail
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
/** One remote call running `ops` in order on the layout at `base`. */
function batchCommand(base, ops) {
    if (ops.length === 0)
        throw new Error('batchCommand: no ops');
    const args = [];
    for (const [name, ...rest] of ops)
        args.push(String(rest.length), name, ...rest);
    return {
        argv: ['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT, 'deploy-kit', base, ...args],
        label: ops.map((o) => o[0]).join(' + '),
    };
}
/** Reads the `@` lines a batch printed. */
function parseBatch(stdout) {
    const o = {
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
        if (!line.startsWith('@'))
            continue;
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
function userCommand(command, cwd, env) {
    return { argv: ['bash', '-euo', 'pipefail', '-c', command], cwd, env, label: command.split('\n')[0].slice(0, 80) };
}

;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/rsync.ts
function rsyncCommand(p) {
    const argv = ['rsync', '-a', '--delete', '--stats', `--timeout=${p.ioTimeoutSec}`, '-e', p.shell];
    if (p.checksum)
        argv.splice(3, 0, '--checksum');
    if (p.linkDest)
        argv.push(`--link-dest=${p.linkDest}`);
    for (const e of p.excludes)
        argv.push(`--exclude=${e}`);
    if (p.excludeFrom)
        argv.push(`--exclude-from=${p.excludeFrom}`);
    const host = p.target.host.includes(':') ? `[${p.target.host}]` : p.target.host;
    argv.push('--', p.source.endsWith('/') ? p.source : `${p.source}/`, `${host}:${p.dest}/`);
    return { argv, label: `rsync to ${p.target.host}` };
}
function num(text, label) {
    const m = label.exec(text);
    return m ? Number(m[1].replace(/,/g, '')) : 0;
}
function parseRsyncStats(stdout) {
    return {
        files: num(stdout, /Number of regular files transferred: ([\d,]+)/),
        bytesSent: num(stdout, /Total bytes sent: ([\d,]+)/),
        totalSize: num(stdout, /Total file size: ([\d,]+)/),
    };
}

;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/deploy.ts






function deployMode(cfg) {
    return cfg.rollback !== undefined
        ? 'rollback'
        : cfg.activate === 'only'
            ? 'activate'
            : cfg.activate === 'false'
                ? 'prepare'
                : 'deploy';
}
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The host's state as printed by the `state` op. */
function hostState(o) {
    return {
        current: o.current ?? '',
        releases: new Set(o.releases.filter((r) => SAFE_ID.test(r))),
        bad: new Set(o.bad.filter((r) => SAFE_ID.test(r))),
        history: parseHistory(o.history.join('\n')),
    };
}
async function timed(h, step, fn) {
    const t = Date.now();
    try {
        return await fn();
    }
    finally {
        h.report.timings[step] = (h.report.timings[step] ?? 0) + Date.now() - t;
    }
}
/** Runs fn on hosts in parallel or one after another; collects failures instead of stopping midway. */
async function onHosts(hosts, serial, fn) {
    const failed = [];
    const one = async (h) => {
        try {
            await fn(h);
        }
        catch (e) {
            h.report.result = 'failed';
            h.report.error ??= e.message;
            failed.push(h);
        }
    };
    if (serial) {
        for (const h of hosts) {
            await one(h);
            if (failed.length)
                break;
        }
    }
    else
        await Promise.all(hosts.map(one));
    return failed;
}
const listErrors = (hosts) => hosts.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n');
function createDeployment(cfg, ctx) {
    const { log, signal } = ctx;
    const base = cfg.path;
    const mode = deployMode(cfg);
    const serial = cfg.strategy !== 'parallel';
    const hosts = ctx.hosts.map((exec) => ({
        exec,
        mayHoldLock: false,
        switched: false,
        created: false,
        pending: [],
        report: {
            host: exec.target,
            result: 'not-started',
            releaseId: cfg.releaseId,
            previousReleaseId: '',
            files: 0,
            bytesSent: 0,
            timings: {},
            pruned: [],
        },
    }));
    /** With one host, letting go of the lock can ride on the last call: nothing else can need undoing. */
    const inlineUnlock = hosts.length === 1;
    const cmdOpts = (h, abortable = true) => ({
        timeoutMs: cfg.commandTimeoutMs,
        idleTimeoutMs: cfg.idleTimeoutMs,
        signal: abortable ? signal : undefined,
        onStdout: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
        onStderr: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
    });
    const releaseDir = (id) => `${base}/releases/${id}`;
    const event = (e) => historyLine({ ...e, at: new Date().toISOString(), run: cfg.runUrl || undefined, by: cfg.actor || undefined });
    const logLine = (text) => ['log', `${new Date().toISOString()} ${text} by ${cfg.owner}`];
    /**
     * Sends the host's queued ops plus `ops` in one call. What the call printed is applied to the host (switched,
     * pruned, lock let go) even when a later op failed. `firm`: not tied to the cancel signal.
     */
    const flush = async (h, ops = [], firm = false) => {
        const all = [...h.pending, ...ops];
        h.pending = [];
        if (!all.length)
            return parseBatch('');
        let r;
        try {
            r = await (0,types/* runChecked */.X4)(h.exec, batchCommand(base, all), {
                timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs,
                signal: firm ? undefined : signal,
            });
            return apply(h, r.stdout);
        }
        catch (e) {
            if (e instanceof types/* CommandError */.Qd)
                apply(h, e.result.stdout);
            throw e;
        }
    };
    const apply = (h, stdout) => {
        const o = parseBatch(stdout);
        for (const id of o.switched) {
            h.switched = id === cfg.releaseId || h.switched;
            log(`[${h.exec.target}] current -> releases/${id}`);
        }
        if (o.unlocked)
            h.mayHoldLock = false;
        if (o.pruned.length)
            h.report.pruned.push(...o.pruned);
        for (const n of o.notes)
            log(`[${h.exec.target}] ${n}`);
        return o;
    };
    const runUserCommands = async (h, commands, id, phase, abortable = true) => {
        for (const c of commands) {
            log(`[${h.exec.target}] ${phase}: ${c}`);
            await timed(h, phase, () => (0,types/* runChecked */.X4)(h.exec, userCommand(c, releaseDir(id), {
                ...cfg.env,
                DEPLOY_KIT_RELEASE_ID: id,
                DEPLOY_KIT_RELEASE_PATH: releaseDir(id),
            }), cmdOpts(h, abortable)));
        }
    };
    const revert = async (switched, opts = {}) => {
        const reason = opts.reason ?? 'switched back';
        for (const h of switched.filter((x) => x.switched)) {
            const prev = h.report.previousReleaseId;
            const bad = ['mark-bad', cfg.releaseId, event({ event: 'bad', id: cfg.releaseId, reason })];
            if (!prev) {
                // A first deploy has nothing to go back to: keep serving it, but never roll back onto it later.
                await flush(h, [bad], true).catch(() => undefined);
                h.report.result = 'failed'; // not `ok`: it serves a release this run found bad
                h.report.error =
                    `${h.report.error ?? ''} no previous release to switch back to: current still points at ${cfg.releaseId} (marked bad)`.trim();
                continue;
            }
            try {
                await timed(h, 'revert', () => flush(h, [
                    ['switch', prev],
                    ['history', event({ event: 'activate', id: prev, from: cfg.releaseId, how: 'revert' })],
                    bad,
                    logLine(`revert ${cfg.releaseId} -> ${prev}`),
                ], true));
                h.report.result = 'reverted';
                log(`[${h.exec.target}] reverted to ${prev}`);
                if (opts.afterActivate)
                    await runUserCommands(h, cfg.afterActivate, prev, 'revert after-activate', false);
            }
            catch (e) {
                h.report.error = `${h.report.error ?? ''} revert failed: ${e.message}`.trim();
            }
        }
    };
    const discard = async () => {
        // Only under this run's lock: a host that already let go may have a new deploy going on.
        for (const h of hosts.filter((x) => !x.switched && x.created && x.mayHoldLock)) {
            h.pending = [];
            try {
                const o = await flush(h, [['discard', cfg.releaseId]], true);
                if (o.discarded.length && h.report.result === 'uploaded')
                    h.report.result = 'discarded';
                if (o.discarded.length)
                    h.created = false;
            }
            catch (e) {
                h.report.error =
                    `${h.report.error ?? ''} the unfinished release ${releaseDir(cfg.releaseId)} could not be removed; remove it by hand: ${e.message.split('\n').slice(-2).join(' ')}`.trim();
            }
        }
    };
    const lock = async () => {
        const failures = await onHosts(hosts, false, async (h) => {
            const ops = [['check-base'], ['lock', cfg.owner], ['prepare'], ['state']];
            if (mode === 'deploy' || mode === 'prepare')
                ops.push(['new-release', cfg.releaseId]);
            if (mode === 'activate')
                ops.push(['require', cfg.releaseId]);
            h.mayHoldLock = true;
            let held;
            try {
                held = (await timed(h, 'lock', () => acquireLock(h.exec, base, {
                    owner: cfg.owner,
                    timeoutMs: cfg.lockTimeoutMs,
                    ttlMs: cfg.lockTtlMs,
                    signal,
                    attempt: batchCommand(base, ops),
                    onWait: (by, age) => log(`[${h.exec.target}] waiting for the deploy lock held by ${by} (${age} s)`),
                }))).result;
            }
            catch (e) {
                // The lock may be ours even though a later op refused (an existing release id): see unlock().
                if (e instanceof types/* CommandError */.Qd)
                    apply(h, e.result.stdout);
                throw e;
            }
            const o = apply(h, held.stdout);
            h.state = hostState(o);
            h.created = o.created.includes(cfg.releaseId);
            h.report.previousReleaseId = h.state.current;
        });
        if (failures.length)
            throw new Error(listErrors(failures));
    };
    const prepareHost = async (h) => {
        const prev = h.report.previousReleaseId;
        const rsync = rsyncCommand({
            source: cfg.source,
            target: h.exec.host,
            dest: releaseDir(cfg.releaseId),
            linkDest: prev && prev !== cfg.releaseId && h.state?.releases.has(prev) ? releaseDir(prev) : undefined,
            excludes: cfg.excludes,
            excludeFrom: cfg.excludeFrom,
            shell: h.exec.rsyncShell(),
            ioTimeoutSec: Math.max(10, Math.round(cfg.idleTimeoutMs / 1000)),
            checksum: true,
        });
        log(`[${h.exec.target}] uploading ${cfg.source} to ${releaseDir(cfg.releaseId)}${prev ? ` (files with the same content linked to ${prev})` : ''}`);
        const r = await timed(h, 'upload', () => (0,types/* runChecked */.X4)(ctx.runner, rsync, { timeoutMs: cfg.commandTimeoutMs, signal }));
        const stats = parseRsyncStats(r.stdout);
        h.report.files = stats.files;
        h.report.bytesSent = stats.bytesSent;
        h.pending.push(['complete', cfg.releaseId]);
        if (cfg.shared.length)
            h.pending.push(['link-shared', cfg.releaseId, ...cfg.shared]);
        if (cfg.beforeActivate.length) {
            await timed(h, 'shared', () => flush(h));
            await runUserCommands(h, cfg.beforeActivate, cfg.releaseId, 'before-activate');
        }
        h.report.result = 'uploaded';
    };
    const upload = async (wave) => {
        const canary = cfg.strategy === 'canary' && hosts.length > 1;
        const failed = await onHosts(wave, serial && !canary, prepareHost);
        if (failed.length) {
            await revert(hosts.filter((h) => h.switched), { reason: 'another host failed before its switch' });
            await discard();
            throw new Error(`before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}${hosts.some((h) => h.report.result === 'reverted') ? ' (the canary was switched back)' : ''}.`);
        }
    };
    const settle = async (wave) => {
        const failed = await onHosts(wave, false, (h) => timed(h, 'shared', () => flush(h)).then(() => undefined));
        if (failed.length) {
            await discard();
            throw new Error(`before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}.`);
        }
    };
    const finalOps = (h, last = inlineUnlock) => {
        const id = h.report.releaseId;
        const prev = h.report.previousReleaseId;
        // Never prune the release a rollback would go back to now.
        const back = rollbackTarget({
            history: [...(h.state?.history ?? []), { event: 'activate', id, at: '' }],
            current: id,
            existing: h.state?.releases ?? new Set(),
            bad: h.state?.bad,
        });
        const ops = [
            logLine(`${mode === 'rollback' ? 'rollback' : 'deploy'} ${id} (from ${prev || 'none'})`),
            ['prune', String(cfg.keepReleases), id, ...(prev ? [prev] : []), ...(back ? [back] : [])],
        ];
        if (last || inlineUnlock)
            ops.push(['unlock', cfg.owner]);
        return ops;
    };
    const activate = async (wave, opts = {}) => {
        const id = cfg.releaseId;
        const failed = await onHosts(wave, serial, async (h) => {
            const ops = [
                ['switch', id],
                [
                    'history',
                    event({
                        event: 'activate',
                        id,
                        from: h.report.previousReleaseId || undefined,
                        how: mode === 'activate' ? 'activate' : 'deploy',
                    }),
                ],
            ];
            const inline = opts.finalize && cfg.afterActivate.length === 0;
            await timed(h, 'switch', () => flush(h, inline ? [...ops, ...finalOps(h)] : ops, true)).catch((e) => {
                // The switch went through and only the record or pruning after it failed: live, with a warning.
                if (!h.switched)
                    throw e;
                log(`[${h.exec.target}] switched, but recording or pruning failed: ${e.message}`);
            });
            await runUserCommands(h, cfg.afterActivate, id, 'after-activate');
            h.report.result = 'ok';
        });
        if (failed.length) {
            // One release id across all hosts: every host already switched goes back.
            await revert(hosts.filter((h) => h.switched), { afterActivate: opts.restartOnRevert, reason: 'after-activate failed' });
            throw new Error(`after the switch: ${listErrors(failed)}\nHosts already switched went back to their previous release.`);
        }
    };
    const finalize = async (wave, opts = {}) => {
        const errors = [];
        await Promise.all(wave.map(async (h) => {
            await timed(h, 'prune', () => flush(h, finalOps(h, opts.last))).catch((e) => errors.push(`${h.exec.target}: ${e.message}`));
        }));
        if (errors.length)
            throw new Error(errors.join('\n'));
    };
    const rollback = async () => {
        const failed = await onHosts(hosts, serial, async (h) => {
            const st = h.state;
            const from = st.current;
            let target;
            if (cfg.rollback) {
                if (!st.releases.has(cfg.rollback))
                    throw new Error(`input \`rollback\`: release ${cfg.rollback} does not exist under ${base}/releases; ` +
                        `name one that does (newest: ${[...st.releases].sort().reverse().slice(0, 5).join(', ') || 'none'}), or \`rollback: true\` for the one live before`);
                target = cfg.rollback;
            }
            else {
                const t = rollbackTarget({ history: st.history, current: from, existing: st.releases, bad: st.bad });
                if (!t)
                    throw new Error(`no earlier good release to roll back to (current: ${from || 'none'}): no release that was live before it is left unmarked on this host; name one with rollback: <release-id>`);
                target = t;
            }
            h.report.releaseId = target;
            const ops = [];
            if (from && from !== target)
                ops.push(['mark-bad', from, event({ event: 'bad', id: from, reason: 'rolled back' })]);
            ops.push(['switch', target], ['history', event({ event: 'activate', id: target, from: from || undefined, how: 'rollback' })]);
            // Each host rolls back on its own (nothing to undo across hosts): its last call lets go of its lock.
            if (cfg.afterActivate.length === 0)
                ops.push(...finalOps(h, true));
            await timed(h, 'switch', () => flush(h, ops, true));
            h.switched = true;
            await runUserCommands(h, cfg.afterActivate, target, 'after-activate');
            if (cfg.afterActivate.length)
                await flush(h, finalOps(h, true));
            h.report.result = 'ok';
        });
        if (failed.length)
            throw new Error(listErrors(failed));
    };
    const activateOnly = async () => {
        await activate(hosts, { finalize: true });
        if (cfg.afterActivate.length || !inlineUnlock)
            await finalize(hosts, { last: true });
    };
    const finishPrepare = async () => {
        const failed = await onHosts(hosts, false, async (h) => {
            await flush(h, [
                ['history', event({ event: 'upload', id: cfg.releaseId })],
                logLine(`upload ${cfg.releaseId} (not activated)`),
                ['unlock', cfg.owner], // every host uploaded: nothing left to undo
            ]);
        });
        if (failed.length)
            throw new Error(listErrors(failed));
    };
    const unlock = async () => {
        await Promise.all(hosts
            .filter((h) => h.mayHoldLock)
            .map(async (h) => {
            // Not tied to the job's signal: a cancelled run must still let go of its lock.
            const r = await h.exec
                .run(unlockCommand(base, cfg.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs })
                .catch(() => undefined);
            if (r && r.end === 'exit' && r.code === 0)
                h.mayHoldLock = false;
        }));
    };
    const report = (error) => {
        const rid = mode === 'rollback' ? (hosts[0]?.report.releaseId ?? '') : cfg.releaseId;
        return {
            mode,
            releaseId: rid,
            releasePath: `${base}/releases/${rid}`,
            previousReleaseId: hosts[0]?.report.previousReleaseId ?? '',
            hosts: hosts.map((h) => h.report),
            ok: !error &&
                hosts.every((h) => h.report.result === 'ok' || (mode === 'prepare' && h.report.result === 'uploaded')),
            error,
        };
    };
    return {
        hosts,
        lock,
        upload,
        settle,
        activate,
        finalize,
        revert,
        discard,
        rollback,
        activateOnly,
        finishPrepare,
        unlock,
        report,
    };
}
async function runDeploy(cfg, ctx) {
    const d = createDeployment(cfg, ctx);
    const mode = deployMode(cfg);
    let error;
    try {
        await d.lock();
        if (mode === 'rollback')
            await d.rollback();
        else if (mode === 'activate')
            await d.activateOnly();
        else {
            // Upload and prepare the new release on every host (canary: the first host alone first).
            const canary = cfg.strategy === 'canary' && d.hosts.length > 1;
            const waves = canary ? [d.hosts.slice(0, 1), d.hosts.slice(1)] : [d.hosts];
            for (const [i, wave] of waves.entries()) {
                await d.upload(wave);
                if (mode === 'deploy') {
                    // One host: switch, record, prune and unlock go in one call (unless after-activate runs between).
                    // Several: switch on all first (a failure switches every host back), then record + prune + unlock.
                    await d.activate(wave, { finalize: d.hosts.length === 1 });
                    if (d.hosts.length > 1 || cfg.afterActivate.length)
                        await d.finalize(wave, { last: i === waves.length - 1 });
                }
            }
            if (mode === 'prepare')
                await d.finishPrepare();
        }
    }
    catch (e) {
        error = e.message;
        await d.discard().catch(() => undefined);
    }
    finally {
        await d.unlock();
    }
    return d.report(error);
}


/***/ }),

/***/ 504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   X4: () => (/* binding */ runChecked)
/* harmony export */ });
/* unused harmony exports succeeded, lastLines, describeFailure */
function succeeded(r) {
    return r.end === 'exit' && r.code === 0;
}
/** Last `n` non-empty lines of text, for error messages. */
function lastLines(text, n = 20) {
    const lines = text.replace(/\s+$/, '').split('\n');
    return lines.slice(-n).join('\n');
}
class CommandError extends Error {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
        this.name = 'CommandError';
    }
}
/** Describe how a command ended, naming the target and the fix-relevant facts. */
function describeFailure(label, target, r) {
    const where = target === 'local' ? '' : ` on ${target}`;
    switch (r.end) {
        case 'timeout':
            return `"${label}"${where} did not finish within its time limit (${r.durationMs} ms) and was stopped`;
        case 'idle-timeout':
            return `"${label}"${where} printed nothing for too long and was stopped (a background process holding stdout open is the usual cause: redirect its output or use nohup/setsid)`;
        case 'aborted':
            return `"${label}"${where} was cancelled`;
        case 'spawn-error':
            return `"${label}"${where} could not start: ${r.error?.message ?? 'unknown error'}`;
        default: {
            const how = r.code === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.code}`;
            const tail = lastLines(r.stderr || r.stdout, 15);
            return `"${label}"${where} ${how}${tail ? `; last output:\n${tail}` : ''}`;
        }
    }
}
/** Run and throw a CommandError unless the command exited 0. */
async function runChecked(exec, cmd, opts) {
    const r = await exec.run(cmd, opts);
    if (!succeeded(r)) {
        throw new CommandError(describeFailure(cmd.label ?? cmd.argv.join(' '), exec.target, r), r);
    }
    return r;
}


/***/ }),

/***/ 737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export backoffDelay */
function backoffDelay(policy, attempt) {
    const d = policy.initialDelayMs * Math.pow(policy.factor, attempt - 1);
    return Math.min(policy.maxDelayMs, d);
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason ?? new Error('aborted'));
        const t = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(t);
            reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/** Retries `fn` while `retryable(err)` holds, backing off, never starting an attempt past the deadline. */
async function retry(policy, fn, retryable = () => true, signal) {
    let lastErr;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (err) {
            lastErr = err;
            if (attempt === policy.attempts || !retryable(err))
                throw err;
            const delay = backoffDelay(policy, attempt);
            if (policy.deadline !== undefined && Date.now() + delay >= policy.deadline)
                throw err;
            await sleep(delay, signal);
        }
    }
    throw lastErr;
}


/***/ })

};
