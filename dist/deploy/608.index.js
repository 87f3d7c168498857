export const id = 608;
export const ids = [608];
export const modules = {

/***/ 608:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runOneStep: () => (/* binding */ runOneStep)
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

// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __webpack_require__(310);
;// CONCATENATED MODULE: ./src/core/health-gate/body-regex.ts
/**
 * `expect-body-regex` runs in a worker thread, never on the main thread: JavaScript regexes backtrack, and a
 * pattern like `^(a+)+$` on a short body that does not match runs for minutes. The worker is terminated when
 * the attempt's time runs out (V8 stops a regex in progress on terminate), so the gate's deadline holds
 * whatever the pattern; the next check starts a fresh worker.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  let r;
  try {
    r = { id: m.id, matched: new RegExp(m.source, m.flags).test(m.body) };
  } catch (e) {
    r = { id: m.id, error: String((e && e.message) || e) };
  }
  parentPort.postMessage(r);
});
`;
/** How long a worker may take to start (it is not the pattern's time: that is bounded separately). */
const START_LIMIT_MS = 10_000;
class BodyRegex {
    regex;
    worker;
    online;
    seq = 0;
    constructor(regex) {
        this.regex = regex;
    }
    start() {
        if (this.online)
            return this.online;
        const { Worker: W } = process.getBuiltinModule('node:worker_threads');
        const w = new W(WORKER_SOURCE, { eval: true });
        w.unref();
        this.worker = w;
        this.online = new Promise((resolve, reject) => {
            const t = setTimeout(() => {
                void w.terminate();
                reject(new Error(`the expect-body-regex worker did not start within ${START_LIMIT_MS} ms`));
            }, START_LIMIT_MS);
            w.once('online', () => {
                clearTimeout(t);
                resolve(w);
            });
            w.once('error', (e) => {
                clearTimeout(t);
                reject(e);
            });
        });
        this.online.catch(() => this.reset());
        return this.online;
    }
    reset() {
        const w = this.worker;
        this.worker = undefined;
        this.online = undefined;
        if (w)
            void w.terminate();
    }
    /** Tests `body` against the pattern; gives up (and stops the worker) after `limitMs`. */
    async test(body, limitMs) {
        const limit = Math.max(1, Math.floor(limitMs));
        const w = await this.start();
        const id = ++this.seq;
        return new Promise((resolve, reject) => {
            const done = () => {
                clearTimeout(timer);
                w.off('message', onMessage);
                w.off('error', onError);
                w.off('exit', onExit);
            };
            const onMessage = (m) => {
                if (m.id !== id)
                    return;
                done();
                if (m.error !== undefined)
                    reject(new Error(`expect-body-regex: ${m.error}`));
                else
                    resolve({ matched: !!m.matched });
            };
            const onError = (e) => {
                done();
                this.reset();
                reject(e);
            };
            const onExit = () => {
                done();
                this.reset();
                reject(new Error('the expect-body-regex worker stopped'));
            };
            const timer = setTimeout(() => {
                done();
                this.reset();
                resolve({ timedOut: true, limitMs: limit });
            }, limit);
            w.on('message', onMessage);
            w.once('error', onError);
            w.once('exit', onExit);
            w.postMessage({ id, source: this.regex.source, flags: this.regex.flags, body });
        });
    }
    /** Stops the worker; safe to call more than once. */
    close() {
        this.reset();
    }
}

// EXTERNAL MODULE: ./src/core/health-gate/json-expect.ts
var json_expect = __webpack_require__(330);
;// CONCATENATED MODULE: ./src/core/health-gate/expectations.ts

/**
 * Why a response does not satisfy the expectations, or undefined when it does. `bodyRegex` is not checked
 * here: a user's pattern can backtrack for minutes, so the gate runs it in a worker it can stop (body-regex.ts).
 */
function evaluate(res, exp) {
    if (!exp.status.match(res.status))
        return `status ${res.status}, expected ${exp.status.text}`;
    if (exp.maxLatencyMs !== undefined && res.latencyMs > exp.maxLatencyMs) {
        return `took ${res.latencyMs} ms, over max-latency ${exp.maxLatencyMs} ms`;
    }
    if (exp.minTlsDays !== undefined) {
        if (res.tlsDaysLeft === undefined)
            return `min-tls-days is set but ${res.url} is not HTTPS`;
        if (res.tlsDaysLeft < exp.minTlsDays) {
            return `TLS certificate expires in ${res.tlsDaysLeft.toFixed(1)} days, under min-tls-days ${exp.minTlsDays}`;
        }
    }
    const jsonWhy = (0,json_expect/* checkJson */.Z)(res.body, exp.json);
    if (jsonWhy)
        return jsonWhy;
    if (exp.version) {
        if (exp.versionHeader) {
            const raw = res.headers[exp.versionHeader.toLowerCase()];
            const served = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
            if (!served.includes(exp.version)) {
                return `header ${exp.versionHeader} is "${served || 'missing'}", expected version ${exp.version}`;
            }
        }
        else if (!res.body.includes(exp.version)) {
            return `version ${exp.version} is not in the body (an older release is still serving?)`;
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/health-gate/probe.ts

/** A request that did not produce a response: the reason says what happened, in plain words. */
class ProbeError extends Error {
    latencyMs;
    constructor(message, latencyMs) {
        super(message);
        this.latencyMs = latencyMs;
        this.name = 'ProbeError';
    }
}
const DAY_MS = 86_400_000;
function explainNetError(err, url) {
    const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    switch (err.code) {
        case 'ECONNREFUSED':
            return `connection refused by ${where} (nothing listening)`;
        case 'ECONNRESET':
            return `connection reset by ${where}`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `${url.hostname} does not resolve`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `${where} is unreachable`;
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
            return `TLS certificate of ${where} is not trusted (${err.code}); fix the chain, or set insecure-tls: true for a test host`;
        case 'CERT_HAS_EXPIRED':
            return `TLS certificate of ${where} has expired`;
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `TLS certificate of ${where} is not valid for ${url.hostname}`;
        default:
            return `${err.code ?? 'error'}: ${err.message}`;
    }
}
function once(req, url, deadline, headers) {
    return new Promise((resolve, reject) => {
        const isHttps = url.protocol === 'https:';
        // Loaded on first use: a step that fails on its inputs never pays for the HTTP stack.
        const mod = process.getBuiltinModule(isHttps ? 'node:https' : 'node:http');
        const remaining = Math.max(1, deadline - Date.now());
        let tlsDaysLeft;
        const r = mod.request(url, {
            method: req.method,
            headers: { 'user-agent': 'deploy-kit-health-gate', ...headers },
            agent: isHttps ? req.agent?.https : req.agent?.http,
            rejectUnauthorized: !req.insecureTls,
        }, (res) => {
            if (isHttps) {
                const cert = res.socket.getPeerCertificate?.();
                if (cert && cert.valid_to)
                    tlsDaysLeft = (Date.parse(cert.valid_to) - Date.now()) / DAY_MS;
            }
            const limit = req.maxBodyBytes ?? 1024 * 1024;
            const chunks = [];
            let kept = 0;
            res.on('data', (c) => {
                if (kept < limit) {
                    chunks.push(c.subarray(0, limit - kept));
                    kept += Math.min(c.length, limit - kept);
                }
            });
            res.on('end', () => {
                clearTimeout(timer);
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                    tlsDaysLeft,
                });
            });
            res.on('error', (e) => {
                clearTimeout(timer);
                reject(e);
            });
        });
        const timer = setTimeout(() => {
            r.destroy(Object.assign(new Error('timeout'), { code: 'DK_TIMEOUT' }));
        }, remaining);
        const onAbort = () => {
            r.destroy(Object.assign(new Error('cancelled'), { code: 'DK_CANCELLED' }));
        };
        if (req.signal?.aborted)
            queueMicrotask(onAbort);
        req.signal?.addEventListener('abort', onAbort, { once: true });
        r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
        r.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
        r.end();
    });
}
/** One attempt: a request with redirects followed up to maxRedirects, all within timeoutMs. */
async function probe(req) {
    const started = Date.now();
    const deadline = started + req.timeoutMs;
    let url = new URL(req.url);
    let redirects = 0;
    const seen = new Set([url.href]);
    // The headers the workflow gave (Authorization, Cookie, tokens: every value is masked as a secret) go to
    // the origin it named only. Once a redirect leaves that origin (another scheme, host or port - `localhost`
    // is not `127.0.0.1`), they are dropped for the rest of the chain, as browsers and curl do.
    let headers = req.headers;
    const origin = url.origin;
    for (;;) {
        let res;
        try {
            res = await once(req, url, deadline, headers);
        }
        catch (e) {
            const err = e;
            const latency = Date.now() - started;
            if (err.code === 'DK_TIMEOUT')
                throw new ProbeError(`no complete response within ${req.timeoutMs} ms (timeout)`, latency);
            throw new ProbeError(explainNetError(err, url), latency);
        }
        const location = res.headers.location;
        if (res.status >= 300 && res.status < 400 && location && req.maxRedirects > 0) {
            let next;
            try {
                next = new URL(location, url);
            }
            catch {
                throw new ProbeError(`redirect to an invalid Location`, Date.now() - started);
            }
            if (redirects >= req.maxRedirects) {
                throw new ProbeError(`more than ${req.maxRedirects} redirects (last to ${(0,redact/* stripUserinfo */._H)(next.href)})`, Date.now() - started);
            }
            if (seen.has(next.href))
                throw new ProbeError(`redirect loop at ${(0,redact/* stripUserinfo */._H)(next.href)}`, Date.now() - started);
            if (next.protocol !== 'http:' && next.protocol !== 'https:')
                throw new ProbeError(`redirect to ${next.protocol} (only http and https are followed)`, Date.now() - started);
            seen.add(next.href);
            if (next.origin !== origin)
                headers = {};
            url = next;
            redirects++;
            continue;
        }
        return { ...res, url: (0,redact/* stripUserinfo */._H)(url.href), latencyMs: Date.now() - started, redirects };
    }
}

;// CONCATENATED MODULE: ./src/core/health-gate/stats.ts
/** Nearest-rank percentile of a list of numbers (p in 0..100); 0 for an empty list. */
function percentile(values, p) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
/**
 * Smallest and largest of a list (0 and 0 for an empty one), in one pass. Not `Math.max(...values)`: spreading
 * puts every value on the stack, and a long gate (period 10ms, deadline 30m: 180,000 attempts) overflows it.
 */
function minMax(values) {
    if (values.length === 0)
        return { min: 0, max: 0 };
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    return { min, max };
}

;// CONCATENATED MODULE: ./src/core/health-gate/gate.ts






/**
 * Probes one URL until `successThreshold` consecutive successes (healthy), `failureThreshold`
 * consecutive failures after a first success (unhealthy: flapping or falling over), or the deadline
 * (unhealthy: never became healthy). Every request made is one attempt, counted exactly.
 */
async function gateUrl(req, exp, timing, events = {}, signal) {
    const start = Date.now();
    const deadline = start + timing.deadlineMs;
    const history = [];
    let consecutiveOk = 0;
    let consecutiveFail = 0;
    let seenSuccess = false;
    let last = { latencyMs: 0 };
    let verdict;
    // Reported (results, summary, log) without user:password@.
    const shownUrl = (0,redact/* stripUserinfo */._H)(req.url);
    const bodyRegex = exp.bodyRegex ? new BodyRegex(exp.bodyRegex) : undefined;
    try {
        return await loop();
    }
    finally {
        bodyRegex?.close();
    }
    /** The body regex, bounded by what is left of this attempt's time limit (the deadline stays absolute). */
    async function bodyReason(body, attemptStart) {
        if (!bodyRegex)
            return undefined;
        const left = attemptStart + timing.timeoutMs - Date.now();
        const r = await bodyRegex.test(body, Math.max(1, left));
        if ('timedOut' in r) {
            return `expect-body-regex timed out: /${bodyRegex.regex.source}/ did not finish within the attempt's time limit (${r.limitMs} ms left of timeout); it backtracks too much - simplify the pattern (e.g. no nested quantifiers like (a+)+)`;
        }
        return r.matched ? undefined : `body does not match /${bodyRegex.regex.source}/`;
    }
    async function loop() {
        if (timing.initialDelayMs > 0) {
            try {
                await (0,retry/* sleep */.yy)(Math.min(timing.initialDelayMs, timing.deadlineMs), signal);
            }
            catch {
                // cancelled: the loop below sees signal.aborted and reports it
            }
        }
        while (!verdict) {
            if (signal?.aborted) {
                verdict = { healthy: false, reason: 'cancelled' };
                break;
            }
            const attemptStart = Date.now();
            if (attemptStart >= deadline && history.length > 0) {
                verdict = {
                    healthy: false,
                    reason: `deadline of ${timing.deadlineMs} ms reached; last: ${last.reason ?? 'no success window'}`,
                };
                break;
            }
            // An attempt started before the deadline may finish up to one timeout after it.
            const timeoutMs = timing.timeoutMs;
            let attempt;
            try {
                const res = await probe({ ...req, timeoutMs, signal });
                const why = evaluate(res, exp) ?? (await bodyReason(res.body, attemptStart));
                attempt = {
                    n: history.length + 1,
                    ok: !why,
                    status: res.status,
                    latencyMs: res.latencyMs,
                    reason: why,
                    at: attemptStart - start,
                };
                last = { status: res.status, latencyMs: res.latencyMs, reason: why, tlsDaysLeft: res.tlsDaysLeft };
            }
            catch (e) {
                const latencyMs = e instanceof ProbeError ? e.latencyMs : Date.now() - attemptStart;
                const reason = e instanceof Error ? e.message : String(e);
                attempt = { n: history.length + 1, ok: false, latencyMs, reason, at: attemptStart - start };
                last = { latencyMs, reason };
            }
            history.push(attempt);
            events.onAttempt?.(shownUrl, attempt);
            if (attempt.ok) {
                seenSuccess = true;
                consecutiveOk++;
                consecutiveFail = 0;
                if (consecutiveOk >= timing.successThreshold) {
                    verdict = { healthy: true, reason: '' };
                    break;
                }
            }
            else {
                consecutiveOk = 0;
                consecutiveFail++;
                if (seenSuccess && consecutiveFail >= timing.failureThreshold) {
                    verdict = {
                        healthy: false,
                        reason: `${consecutiveFail} consecutive failures after it had been healthy; last: ${attempt.reason}`,
                    };
                    break;
                }
            }
            const next = attemptStart + timing.periodMs;
            if (next >= deadline) {
                verdict = {
                    healthy: false,
                    reason: `deadline of ${timing.deadlineMs} ms reached after ${history.length} attempts; last: ${last.reason ?? `only ${consecutiveOk} of ${timing.successThreshold} consecutive successes`}`,
                };
                break;
            }
            const wait = next - Date.now();
            if (wait > 0) {
                try {
                    await (0,retry/* sleep */.yy)(wait, signal);
                }
                catch {
                    verdict = { healthy: false, reason: 'cancelled' };
                }
            }
        }
        const lat = history.map((a) => a.latencyMs);
        const range = minMax(lat);
        return {
            url: shownUrl,
            healthy: verdict.healthy,
            attempts: history.length,
            status: last.status ?? null,
            latencyMs: history.length ? last.latencyMs : null,
            reason: verdict.reason,
            ...(last.tlsDaysLeft !== undefined ? { tlsDaysLeft: Math.floor(last.tlsDaysLeft) } : {}),
            latency: {
                min: range.min,
                p50: percentile(lat, 50),
                p95: percentile(lat, 95),
                max: range.max,
            },
            ...(verdict.healthy ? { passedAfterMs: Date.now() - start } : {}),
            history,
        };
    }
}

;// CONCATENATED MODULE: ./src/core/health-gate/load.ts



/** Smoke load: `concurrency` workers loop over the URLs until the request or time budget runs out. */
async function runLoad(urls, base, exp, plan, signal) {
    const agent = {
        http: new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, maxSockets: plan.concurrency }),
        https: new (process.getBuiltinModule('node:https').Agent)({
            keepAlive: true,
            maxSockets: plan.concurrency,
            rejectUnauthorized: !base.insecureTls,
        }),
    };
    const start = Date.now();
    const stopAt = start + plan.durationMs;
    const latencies = [];
    const reasons = new Map();
    let started = 0;
    let errors = 0;
    // Load checks status and latency budget per request, not the slower body/JSON checks.
    const loadExp = { status: exp.status, json: [] };
    const worker = async () => {
        while (!signal?.aborted && started < plan.maxRequests && Date.now() < stopAt) {
            const url = urls[started % urls.length];
            started++;
            try {
                const res = await probe({ ...base, url, agent, signal });
                latencies.push(res.latencyMs);
                const why = evaluate(res, loadExp);
                if (why) {
                    errors++;
                    reasons.set(why, (reasons.get(why) ?? 0) + 1);
                }
            }
            catch (e) {
                errors++;
                const why = e.message;
                reasons.set(why, (reasons.get(why) ?? 0) + 1);
            }
        }
    };
    try {
        await Promise.all(Array.from({ length: plan.concurrency }, worker));
    }
    finally {
        agent.http.destroy();
        agent.https.destroy();
    }
    const durationMs = Date.now() - start;
    const requests = started;
    return {
        requests,
        errors,
        errorRate: requests ? errors / requests : 0,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: minMax(latencies).max,
        durationMs,
        rps: durationMs ? (requests * 1000) / durationMs : 0,
        topErrors: [...reasons.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([reason, count]) => ({ reason, count })),
    };
}

;// CONCATENATED MODULE: ./src/core/health-gate/run.ts



/** Gates every URL in parallel, then (if all are healthy) runs the bounded smoke load. */
async function runHealthGate(cfg, events = {}, signal) {
    const base = {
        method: cfg.method,
        headers: cfg.headers,
        maxRedirects: cfg.maxRedirects,
        insecureTls: cfg.insecureTls,
    };
    const urls = await Promise.all(cfg.urls.map((url) => gateUrl({ ...base, url }, cfg.expectations, cfg.timing, events, signal)));
    const failures = urls.filter((u) => !u.healthy).map((u) => `${u.url}: ${u.reason}`);
    let load;
    if (cfg.load && failures.length === 0) {
        const r = await runLoad(cfg.urls, { ...base, timeoutMs: cfg.timing.timeoutMs }, cfg.expectations, cfg.load, signal);
        const problems = [];
        if (cfg.load.maxP95Ms !== undefined && r.p95 > cfg.load.maxP95Ms)
            problems.push(`p95 ${r.p95} ms over max-p95 ${cfg.load.maxP95Ms} ms`);
        if (r.errorRate > cfg.load.maxErrorRate) {
            problems.push(`error rate ${(r.errorRate * 100).toFixed(2)}% over max-error-rate ${(cfg.load.maxErrorRate * 100).toFixed(2)}%`);
        }
        if (r.requests === 0)
            problems.push('no request completed within the load budget');
        load = { ...r, verdict: problems.length ? problems.join('; ') : 'ok' };
        for (const p of problems)
            failures.push(`smoke load: ${p}`);
    }
    const allLatencies = urls.flatMap((u) => u.history.map((a) => a.latencyMs));
    return {
        healthy: failures.length === 0,
        attempts: urls.reduce((n, u) => n + u.attempts, 0),
        urls,
        load,
        p50: load ? load.p50 : percentile(allLatencies, 50),
        p95: load ? load.p95 : percentile(allLatencies, 95),
        failures,
    };
}

;// CONCATENATED MODULE: ./src/lib/compose.ts

/** argv for `docker compose …` or `docker-compose …` with the project's files. */
function composeCommand(p, args, extra = {}) {
    const base = p.flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
    // A value after -f/-p that starts with `-` could be read as an option by compose: inputs are checked
    // where they are read; this is the last line that never lets one through.
    for (const v of [...p.files, p.project ?? '']) {
        if (v.startsWith('-'))
            throw new Error(`compose file or project name "${v.slice(0, 60)}" must not start with -`);
    }
    const argv = [...base];
    for (const f of p.files)
        argv.push('-f', f);
    if (p.project)
        argv.push('-p', p.project);
    argv.push(...args);
    return { cwd: p.cwd, ...extra, argv };
}
const detected = new WeakMap();
const remember = (exec, f) => (detected.set(exec, f), f);
/** Which compose is installed where `exec` runs: v2 preferred, v1 accepted, neither → an error naming both. */
async function detectCompose(exec, signal) {
    // Once per target and run: a host's Compose does not change under a run, and v1's Python start is slow.
    const known = detected.get(exec);
    if (known)
        return known;
    const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v2.end === 'exit' && v2.code === 0)
        return remember(exec, 'v2');
    const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v1.end === 'exit' && v1.code === 0)
        return remember(exec, 'v1');
    throw new Error(`neither \`docker compose\` (v2 plugin) nor \`docker-compose\` (v1) works on ${exec.target}; install the docker-compose-plugin package`);
}

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(858);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __webpack_require__(975);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __webpack_require__(304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __webpack_require__(627);
// EXTERNAL MODULE: ./src/lib/target/types.ts
var target_types = __webpack_require__(164);
;// CONCATENATED MODULE: ./src/lib/target/container.ts








const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// An image reference: no leading dash, no whitespace; the registry/name/tag/digest grammar is checked by
// the actions that read one from an input.
const container_IMAGE_RE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@+]*$/;
function check(re, value, what) {
    if (!re.test(value))
        throw new Error(`"${value}" is not a valid ${what}`);
    return value;
}
/** One-off kinds start a new container per command; the others run in one that lives on. */
function isOneOff(a) {
    return a.kind === 'compose-run' || a.kind === 'docker-run';
}
/** `container web`, `service db (docker compose exec -T)`, … for messages. */
function describeAccess(a) {
    const compose = (p) => (p.flavor === 'v2' ? 'docker compose' : 'docker-compose');
    switch (a.kind) {
        case 'docker-exec':
            return `container ${a.container}`;
        case 'compose-exec':
            return `service ${a.service} (${compose(a.project)} exec -T)`;
        case 'compose-run':
            return `service ${a.service} (${compose(a.project)} run --rm -T)`;
        case 'docker-run':
            return `image ${a.image} (docker run --rm)`;
    }
}
/**
 * The parent-side command that runs `cmd` inside the container. Environment crosses by NAME only
 * (`-e NAME`): the docker/compose client takes each value from its own environment, where the parent
 * target put it (a child's env locally, stdin over SSH). No value is ever in argv.
 */
function containerCommand(a, cmd, spec = {}) {
    const [program, ...rest] = cmd.argv;
    if (!program)
        throw new Error('empty command');
    const env = cmd.env ?? {};
    const envFlags = Object.keys(env).flatMap((n) => ['-e', (0,quote/* assertEnvName */.Pv)(n)]);
    const wd = cmd.cwd ?? (a.kind === 'docker-run' ? a.workdir : undefined);
    const wdFlags = wd ? ['-w', wd] : [];
    const nameFlags = spec.name ? ['--name', check(NAME_RE, spec.name, 'container name')] : [];
    const mounts = [
        ...(a.kind === 'compose-run' || a.kind === 'docker-run' ? (a.volumes ?? []) : []),
        ...(spec.mounts ?? []),
    ];
    const volumeFlags = mounts.flatMap((v) => {
        if (v.startsWith('-'))
            throw new Error(`"${v}" is not a volume (host:container)`);
        return ['-v', v];
    });
    // One-off containers: name, [network], workdir, env names, volumes, then `--opt=value` and `--` so neither
    // the entrypoint nor the service/image can ever be read as an option.
    const oneOffFlags = (extra) => [
        ...nameFlags,
        ...extra,
        ...wdFlags,
        ...envFlags,
        ...volumeFlags,
        `--entrypoint=${program}`,
        '--',
    ];
    let outer;
    switch (a.kind) {
        case 'docker-exec':
            outer = {
                argv: [
                    'docker',
                    'exec',
                    '-i',
                    ...wdFlags,
                    ...envFlags,
                    '--',
                    check(NAME_RE, a.container, 'container name'),
                    ...cmd.argv,
                ],
            };
            break;
        case 'compose-exec':
            outer = composeCommand(a.project, [
                'exec',
                '-T',
                ...wdFlags,
                ...envFlags,
                check(NAME_RE, a.service, 'compose service name'),
                ...cmd.argv,
            ]);
            break;
        case 'compose-run':
            outer = composeCommand(a.project, [
                'run',
                '--rm',
                '-T',
                ...oneOffFlags([]),
                check(NAME_RE, a.service, 'compose service name'),
                ...rest,
            ]);
            break;
        case 'docker-run': {
            const network = a.network ? ['--network', check(NAME_RE, a.network, 'docker network name')] : [];
            // --init: a real PID 1 that forwards the SIGTERM `docker run` proxies on a timeout or cancel.
            outer = {
                argv: [
                    'docker',
                    'run',
                    '--rm',
                    '-i',
                    '--init',
                    ...oneOffFlags(network),
                    check(container_IMAGE_RE, a.image, 'image reference'),
                    ...rest,
                ],
            };
            break;
        }
    }
    const outerEnv = { ...env, ...(spec.dockerHost ? { DOCKER_HOST: spec.dockerHost } : {}) };
    return {
        ...outer,
        // The compose project directory (compose kinds); the container's own directory is `-w`.
        cwd: outer.cwd,
        ...(Object.keys(outerEnv).length ? { env: outerEnv } : {}),
        ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}),
        label: cmd.label ?? program,
    };
}
/**
 * A container reached through `parent`. Long-lived kinds keep their temp dir inside the container;
 * one-off kinds (a new container per command) keep files in the parent's temp dir, mounted at the same
 * path into every container they start (so the docker daemon must run where the parent is).
 */
class ContainerTarget extends base/* CommandTarget */.V {
    parent;
    access;
    options;
    kind = 'container';
    target;
    runId = process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex');
    seqNo = 0;
    constructor(parent, access, options = {}) {
        super();
        this.parent = parent;
        this.access = access;
        this.options = options;
        this.target = `${describeAccess(access)}${parent.kind === 'runner' ? '' : ` on ${parent.target}`}`;
    }
    parentTmp = '';
    reached;
    /**
     * How the commands reach the container. compose-exec: the service's one running container is looked up
     * once (`compose ps -q`) and then reached with `docker exec -i` — what `compose exec -T` does, without a
     * Compose start per command (docker-compose v1 is a Python program: seconds each on a loaded host). With
     * no single container (none, or the service scaled), every command keeps going through `compose exec -T`.
     */
    async reach(opts) {
        if (this.access.kind !== 'compose-exec')
            return this.access;
        if (!this.reached) {
            const ps = { ...composeCommand(this.access.project, ['ps', '-q', this.access.service]), ...this.dockerEnv() };
            const r = await this.parent.run(ps, { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: opts?.signal });
            const ids = (0,types/* succeeded */.gq)(r)
                ? r.stdout
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean)
                : [];
            this.reached =
                ids.length === 1 && /^[0-9a-f]{12,64}$/.test(ids[0])
                    ? { kind: 'docker-exec', container: ids[0] }
                    : this.access;
        }
        return this.reached;
    }
    async run(cmd, opts) {
        const oneOff = isOneOff(this.access);
        const name = oneOff ? `${this.options.namePrefix ?? 'deploy-kit'}-${this.runId}-${++this.seqNo}` : undefined;
        const outer = containerCommand(await this.reach(opts), cmd, {
            ...(name ? { name } : {}),
            ...(oneOff && this.parentTmp ? { mounts: [`${this.parentTmp}:${this.parentTmp}`] } : {}),
            ...(this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {}),
        });
        const r = await this.parent.run(outer, opts);
        if (name && r.end !== 'exit') {
            // A client stopped by a timeout or cancel does not stop its container: remove it by name (not under
            // the caller's signal: a cancelled run must still remove what it started).
            const rm = await this.parent.run({ argv: ['docker', 'rm', '-f', name], ...this.dockerEnv() }, { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
            // "No such container": it ended on the forwarded SIGTERM and --rm removed it already.
            if (!(0,types/* succeeded */.gq)(rm) && !/no such container/i.test(rm.stderr)) {
                return {
                    ...r,
                    stderr: `${r.stderr}\ncould not remove container ${name}: ${(0,types/* describeFailure */.Ic)('docker rm', this.parent.target, rm)}`,
                };
            }
        }
        return r;
    }
    dockerEnv() {
        return this.options.dockerHost ? { env: { DOCKER_HOST: this.options.dockerHost } } : {};
    }
    async tempDir() {
        if (!isOneOff(this.access))
            return super.tempDir();
        this.parentTmp = await this.parent.tempDir();
        return this.parentTmp;
    }
    async writeSecretFile(content, name) {
        if (!isOneOff(this.access))
            return super.writeSecretFile(content, name);
        await this.tempDir();
        return this.parent.writeSecretFile(content, name);
    }
    async upload(localFile, destPath, o = {}) {
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        if (isOneOff(this.access)) {
            const tmp = await this.tempDir();
            const dest = destPath ?? (await this.freshParentPath(tmp));
            if (!dest.startsWith(`${tmp}/`))
                throw new Error(`${this.target}: files for one-off containers go under ${tmp}`);
            return this.parent.upload(localFile, dest, o);
        }
        const dest = destPath ?? (await this.freshPath('upload'));
        const staged = await this.parent.upload(localFile, undefined, o);
        const inner = containerCommand(await this.reach(o), (0,commands/* receiveFileCommand */.bj)(dest), this.spec());
        const r = await (0,types/* runChecked */.X4)(this.parent, (0,commands/* withStdinFile */.l$)(inner, staged.path), opts);
        const there = (0,commands/* parseSha256 */.tz)(r.stdout, this.target);
        if (there !== staged.sha256)
            throw new target_types/* TransferMismatch */.K(`upload to ${this.target}:${dest}`, staged.sha256, there);
        return { path: dest, sha256: there };
    }
    async download(path, localFile, o = {}) {
        if (isOneOff(this.access))
            return this.parent.download(path, localFile, o);
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const inside = (0,commands/* parseSha256 */.tz)((await (0,types/* runChecked */.X4)(this, (0,commands/* sha256Command */.p7)(path), opts)).stdout, this.target);
        const staged = external_node_path_.posix.join(await this.parent.tempDir(), `from-container-${this.runId}-${++this.seqNo}`);
        const cat = containerCommand(await this.reach(o), { argv: ['cat', '--', path], label: `read ${path}` }, this.spec());
        try {
            await (0,types/* runChecked */.X4)(this.parent, (0,commands/* withStdoutFile */.qs)(cat, staged), opts);
            const { sha256 } = await this.parent.download(staged, localFile, o);
            if (sha256 !== inside)
                throw new target_types/* TransferMismatch */.K(`download of ${this.target}:${path}`, inside, sha256);
            return { sha256 };
        }
        finally {
            await this.parent.run((0,commands/* removeCommand */.mR)(staged), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
        }
    }
    spec() {
        return this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {};
    }
    freshParentPath(tmp) {
        return external_node_path_.posix.join(tmp, `upload-${this.runId}-${++this.seqNo}`);
    }
    async dispose() {
        // One-off kinds keep their files in the parent's temp dir: the parent removes it.
        if (!isOneOff(this.access))
            await super.dispose();
    }
}
/** A container reached through `parent` (the runner or an SSH host). */
function inContainer(parent, access, options = {}) {
    return new ContainerTarget(parent, access, options);
}

;// CONCATENATED MODULE: ./src/core/run-release-phase/steps.ts
/**
 * Idempotent superuser step: creates DJANGO_SUPERUSER_USERNAME with DJANGO_SUPERUSER_EMAIL/PASSWORD
 * from the environment if it does not exist, leaves it alone otherwise. The password never leaves env.
 */
const DJANGO_SUPERUSER_SCRIPT = [
    'import os',
    'from django.contrib.auth import get_user_model',
    'User = get_user_model()',
    'name = os.environ["DJANGO_SUPERUSER_USERNAME"]',
    'if User.objects.filter(**{User.USERNAME_FIELD: name}).exists():',
    '    print(f"superuser {name} exists: left as it is")',
    'else:',
    '    User.objects.create_superuser(name, os.environ.get("DJANGO_SUPERUSER_EMAIL", ""), os.environ["DJANGO_SUPERUSER_PASSWORD"])',
    '    print(f"superuser {name} created")',
].join('\n');
/** The framework's own commands, in order, then the extra commands (strict bash). */
function releaseSteps(preset, python, opts) {
    const steps = [];
    if (preset === 'django') {
        steps.push({ name: 'migrate', argv: [python, 'manage.py', 'migrate', '--noinput'] });
        steps.push({ name: 'collectstatic', argv: [python, 'manage.py', 'collectstatic', '--noinput'] });
        if (opts.superuser)
            steps.push({ name: 'superuser', argv: [python, 'manage.py', 'shell', '-c', DJANGO_SUPERUSER_SCRIPT] });
    }
    else if (preset === 'alembic') {
        steps.push({ name: 'alembic upgrade head', argv: [python, '-m', 'alembic', 'upgrade', 'head'] });
    }
    for (const c of opts.commands)
        steps.push({ name: c.split('\n')[0].slice(0, 60), argv: ['bash', '-euo', 'pipefail', '-c', c] });
    return steps;
}
/** Asks the framework what is applied, so the `migrations` output comes from it, not from us. */
function migrationProbe(preset, python) {
    if (preset === 'django')
        return [python, 'manage.py', 'showmigrations', '--plan'];
    if (preset === 'alembic')
        return [python, '-m', 'alembic', 'current'];
    return undefined;
}
/** Django `showmigrations --plan`: `[X]  app.0001_initial` lines → applied names. */
function appliedDjango(text) {
    return text
        .split('\n')
        .map((l) => /^\[X\]\s+(\S+)/.exec(l.trim())?.[1])
        .filter((x) => !!x);
}
/** Django `showmigrations --plan`: the first `[ ]` line — after a failed migrate, the migration that failed. */
function firstPendingDjango(text) {
    for (const l of text.split('\n')) {
        const m = /^\[ \]\s+(\S+)/.exec(l.trim());
        if (m)
            return m[1];
    }
    return undefined;
}
/** Alembic `current`: revision ids (`abc123 (head)`). */
function alembicRevisions(text) {
    return text
        .split('\n')
        .map((l) => /^([0-9a-f]{4,})\b/.exec(l.trim())?.[1])
        .filter((x) => !!x);
}
/**
 * Runs the preset's steps in one process tree (one container start for all of them, not one per step and per
 * status read): the framework's migration status before the first step (`before`) and after the last
 * (`after`), each line printed as `<mark> before <line>` / `<mark> after <line>`; each step between
 * `<mark> step <i>` and `<mark> step-end <i> <exit code> <ms>`. The steps' own output passes through as it
 * is. The first step that fails ends the run with its exit code; a status read that fails prints
 * `<mark> before-failed <code>` (or after-failed) and ends it with its code. Python runs it (the presets are
 * Python's). A constant script: the mark, the probe and the steps are positional parameters.
 */
const PRESET_RUNNER = [
    'import subprocess, sys, time',
    'a = sys.argv[1:]',
    'mark, before, after, n = a[0], a[1] == "1", a[2] == "1", int(a[3])',
    'probe, rest, steps = a[4:4 + n], a[4 + n:], []',
    'while rest:',
    '    k = int(rest[0])',
    '    steps.append(rest[1:1 + k])',
    '    rest = rest[1 + k:]',
    'def status(tag):',
    '    sys.stdout.flush()',
    '    r = subprocess.run(probe, stdout=subprocess.PIPE)',
    '    for line in r.stdout.decode("utf-8", "replace").splitlines():',
    '        print(mark, tag, line, flush=True)',
    '    if r.returncode != 0:',
    '        print(mark, tag + "-failed", r.returncode, flush=True)',
    '        sys.exit(r.returncode or 1)',
    'if before:',
    '    status("before")',
    'for i, step in enumerate(steps):',
    '    print(mark, "step", i, flush=True)',
    '    t = time.monotonic()',
    '    code = subprocess.call(step)',
    '    sys.stdout.flush()',
    '    print(mark, "step-end", i, code, int((time.monotonic() - t) * 1000), flush=True)',
    '    if code != 0:',
    '        sys.exit(code)',
    'if after:',
    '    status("after")',
].join('\n');
/** argv of PRESET_RUNNER (run with `python`, the preset's interpreter) over `steps`. */
function presetRun(python, steps, probe, o) {
    return [
        python,
        '-c',
        PRESET_RUNNER,
        o.mark,
        o.before ? '1' : '0',
        o.after ? '1' : '0',
        String(probe.length),
        ...probe,
        ...steps.flatMap((st) => [String(st.length), ...st]),
    ];
}
/** Takes a line of PRESET_RUNNER's stdout: true when it was one of its own (kept out of the log). */
function captureStatus(cap, mark, line) {
    if (!line.startsWith(`${mark} `))
        return false;
    const rest = line.slice(mark.length + 1);
    const step = /^step (\d+)$/.exec(rest);
    if (step) {
        cap.current = Number(step[1]);
        cap.onStep?.(cap.current);
        return true;
    }
    const end = /^step-end (\d+) (-?\d+) (\d+)$/.exec(rest);
    if (end) {
        cap.ended.push({ i: Number(end[1]), code: Number(end[2]), ms: Number(end[3]) });
        return true;
    }
    const m = /^(before|after)(-failed)? ?(.*)$/s.exec(rest);
    if (!m)
        return false;
    const tag = m[1];
    if (m[2])
        cap.failed = { tag, code: Number(m[3]) || 1 };
    else
        cap[tag] = `${cap[tag] ?? ''}${m[3]}\n`;
    return true;
}

;// CONCATENATED MODULE: ./src/core/run-release-phase/run.ts








/**
 * How the release commands reach their container, if they run in one: a one-off container of the Compose
 * service (`compose run --rm -T`, project directory = working directory, `-p` the live project), or of the
 * image (`docker run --rm`, the working directory mounted at /app when set). Undefined: on the host itself.
 * Env crosses into containers by name only; every value travels in the client's environment.
 */
function releaseAccess(cfg, flavor = 'v2') {
    if (cfg.composeService) {
        return {
            kind: 'compose-run',
            project: { flavor, files: cfg.composeFiles, cwd: cfg.workingDirectory, project: cfg.composeProject },
            service: cfg.composeService,
        };
    }
    if (cfg.runOn !== 'docker')
        return undefined;
    const wd = cfg.workingDirectory;
    return {
        kind: 'docker-run',
        image: cfg.image,
        ...(cfg.network ? { network: cfg.network } : {}),
        // No working directory: the image runs as is, in its own WORKDIR with its own code. Otherwise the
        // directory is mounted at /app (for images that hold only the runtime).
        ...(wd ? { volumes: [`${wd}:/app`], workdir: '/app' } : {}),
    };
}
/** Where the release commands run: the host, or a container reached through it (releaseAccess). */
async function releaseTarget(host, cfg, signal) {
    const flavor = cfg.composeService ? (cfg.composeFlavor ?? (await detectCompose(host, signal))) : undefined;
    const access = releaseAccess(cfg, flavor);
    return access ? inContainer(host, access, { namePrefix: 'deploy-kit-release' }) : host;
}
async function runReleasePhase(exec, cfg, ctx) {
    const started = Date.now();
    const report = {
        status: 'failed',
        durationMs: 0,
        target: cfg.composeService
            ? `${exec.target}, compose service ${cfg.composeService}`
            : cfg.runOn === 'docker'
                ? `${exec.target}, image ${cfg.image ?? ''}`
                : exec.target,
        steps: [],
        migrations: { framework: cfg.preset, applied: [], before: [], after: [] },
    };
    let lock;
    let readApplied;
    let beforeRead = false;
    let pending;
    try {
        if (cfg.lockBase) {
            lock = await acquireLock(exec, cfg.lockBase, {
                owner: `${cfg.owner} release-phase`,
                timeoutMs: cfg.lockTimeoutMs,
                ttlMs: timeouts/* TIMEOUTS */.f.releaseLockTtlMs,
                signal: ctx.signal,
                onWait: (by, age) => ctx.log(`waiting for the deploy lock held by ${by} (${age} s)`),
            });
        }
        // The release's own interpreter when it ships a virtualenv.
        let python = cfg.python;
        if (cfg.runOn !== 'docker' && !cfg.composeService) {
            for (const venv of ['.venv/bin/python', 'venv/bin/python']) {
                const r = await exec.run({ argv: ['test', '-x', venv], cwd: cfg.workingDirectory }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal: ctx.signal });
                if (r.code === 0) {
                    python = `${cfg.workingDirectory}/${venv}`;
                    break;
                }
            }
        }
        const where = await releaseTarget(exec, cfg, ctx.signal);
        // On the host the commands run in the working directory; in a container, where the image or the mount puts them.
        const contained = (cmd, opts) => where.run({ ...cmd, env: cfg.env, ...(where === exec ? { cwd: cfg.workingDirectory } : {}) }, opts);
        // Status lines of the wrapped steps (withStatus) go to `status`, everything else to the log.
        const mark = `dk-status-${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}`;
        const status = { ended: [] };
        const log = (line) => {
            if (!captureStatus(status, mark, line))
                ctx.log(line);
        };
        const run = async (argv, label) => {
            const out = (0,output/* streamLogger */.VO)(log);
            try {
                return await contained({ argv, label }, {
                    timeoutMs: Math.max(1, cfg.timeoutMs - (Date.now() - started)),
                    idleTimeoutMs: cfg.idleTimeoutMs,
                    signal: ctx.signal,
                    onStdout: out.onStdout,
                    onStderr: out.onStderr,
                });
            }
            finally {
                out.flush();
            }
        };
        const probe = migrationProbe(cfg.preset, python);
        const parse = (text) => {
            pending = cfg.preset === 'django' ? firstPendingDjango(text) : undefined;
            return cfg.preset === 'django' ? appliedDjango(text) : alembicRevisions(text);
        };
        readApplied = async () => {
            if (!probe)
                return [];
            const r = await contained({ argv: probe }, { timeoutMs: timeouts/* TIMEOUTS */.f.migrationStatusMs, signal: ctx.signal });
            if (r.end !== 'exit' || r.code !== 0)
                throw new Error((0,types/* describeFailure */.Ic)('migration status', exec.target, r));
            return parse(r.stdout);
        };
        const steps = releaseSteps(cfg.preset, python, { superuser: cfg.superuser, commands: cfg.commands });
        // The preset's steps run together in one process tree (PRESET_RUNNER: one container start), with the
        // status reads before and after them; each extra command runs on its own after them (one may migrate
        // too: then a status read of its own after them).
        const presetCount = steps.length - cfg.commands.length;
        if (probe && presetCount > 0) {
            const preset = steps.slice(0, presetCount);
            const after = cfg.commands.length === 0;
            status.onStep = (i) => ctx.log(`▶ ${preset[i].name}`);
            const argv = presetRun(python, preset.map((st) => st.argv), probe, { mark, before: true, after });
            const r = await run(argv, preset.map((st) => st.name).join(', '));
            if (status.before !== undefined) {
                report.migrations.before = parse(status.before);
                beforeRead = true;
            }
            if (status.failed?.tag === 'before')
                throw new Error(`migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} before ${preset[0].name} ran; its output is in the log above`);
            for (const e of status.ended) {
                const ok = e.code === 0;
                report.steps.push({
                    name: preset[e.i].name,
                    ok,
                    durationMs: e.ms,
                    ...(ok ? {} : { error: (0,types/* describeFailure */.Ic)(preset[e.i].name, exec.target, r) }),
                });
            }
            const last = status.ended.at(-1);
            // Stopped inside a step (a timeout, a cancel, a crash of the runner itself): that step failed.
            if (status.current !== undefined && last?.i !== status.current) {
                report.steps.push({
                    name: preset[status.current].name,
                    ok: false,
                    durationMs: r.durationMs,
                    error: (0,types/* describeFailure */.Ic)(preset[status.current].name, exec.target, r),
                });
            }
            if (status.failed?.tag === 'after')
                throw new Error(`migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} after ${preset.at(-1).name}; its output is in the log above`);
            const failed = report.steps.find((st) => !st.ok);
            if (failed)
                throw new Error(failed.error);
            if (r.end !== 'exit' || r.code !== 0 || status.ended.length !== presetCount)
                throw new Error((0,types/* describeFailure */.Ic)(preset.map((st) => st.name).join(', '), exec.target, r));
        }
        else {
            report.migrations.before = await readApplied();
            beforeRead = true;
        }
        for (const step of steps.slice(probe ? presetCount : 0)) {
            ctx.log(`▶ ${step.name}`);
            const r = await run(step.argv, step.name);
            const ok = r.end === 'exit' && r.code === 0;
            report.steps.push({
                name: step.name,
                ok,
                durationMs: r.durationMs,
                ...(ok ? {} : { error: (0,types/* describeFailure */.Ic)(step.name, exec.target, r) }),
            });
            if (!ok)
                throw new Error(report.steps.at(-1).error);
        }
        report.migrations.after = status.after !== undefined ? parse(status.after) : await readApplied();
        const before = new Set(report.migrations.before);
        report.migrations.applied =
            cfg.preset === 'alembic'
                ? report.migrations.before.join() === report.migrations.after.join()
                    ? []
                    : report.migrations.after
                : report.migrations.after.filter((m) => !before.has(m));
        report.status = 'succeeded';
    }
    catch (e) {
        report.error = e.message;
        // What did get applied before the failure, from the framework itself.
        if (readApplied && beforeRead && cfg.preset === 'django') {
            try {
                const before = new Set(report.migrations.before);
                report.migrations.after = await readApplied();
                report.migrations.applied = report.migrations.after.filter((m) => !before.has(m));
                const migrateFailed = report.steps.some((s) => s.name === 'migrate' && !s.ok);
                if (migrateFailed && pending)
                    report.error = `migration ${pending} failed (not applied).\n${report.error}`;
            }
            catch {
                // best effort: the step has failed already
            }
        }
    }
    finally {
        if (report.status !== 'succeeded' && cfg.historyBase) {
            // Still under the lock: a release whose release phase failed must never go live by a rollback.
            const id = cfg.workingDirectory.replace(/\/+$/, '').split('/').pop() ?? '';
            const mark = await exec
                .run(markBadCommand(cfg.historyBase, {
                id,
                at: new Date().toISOString(),
                reason: 'release phase failed',
                run: cfg.runUrl || undefined,
            }), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs })
                .catch((e) => ({ code: 1, stderr: e.message, stdout: '' }));
            if (mark.code === 0)
                ctx.log(`marked release ${id} bad in ${cfg.historyBase}/.deploy-kit`);
            else
                ctx.log(`could not mark release ${id} bad in ${cfg.historyBase}/.deploy-kit: ${mark.stderr.trim()}`);
        }
        const unlockProblem = await lock?.release();
        if (unlockProblem)
            ctx.warn(unlockProblem);
        report.durationMs = Date.now() - started;
    }
    return report;
}

;// CONCATENATED MODULE: ./src/core/deploy/run.ts



class PhaseFailure extends Error {
    phase;
    constructor(phase, message) {
        super(message);
        this.phase = phase;
    }
}
/**
 * One-step deploy, in one process, under one lock: upload (not switched) → release phase on the first
 * host in the new release → switch on every host → health gate → finalize (log, prune). A failed release
 * phase discards the new release and never switches; a failed gate switches every host back, marks the
 * release bad and runs after-activate again for the previous release. The lock is let go in every case.
 */
async function runOneStep(cfg, ctx) {
    const started = Date.now();
    const { log, signal } = ctx;
    const d = createDeployment(cfg.deploy, ctx);
    const phases = [];
    let release;
    let health;
    /** Went live on some host during this run and every such host is back on its previous release. */
    const rolledBack = () => {
        const switched = d.hosts.filter((h) => h.switched);
        return switched.length > 0 && switched.every((h) => h.report.result === 'reverted');
    };
    let error;
    const warnings = [];
    let failedPhase;
    const phase = async (name, fn) => {
        log(`── ${name}`);
        const t = Date.now();
        const p = { name, result: 'ok', durationMs: 0 };
        phases.push(p);
        try {
            return await fn();
        }
        catch (e) {
            p.result = 'failed';
            p.error = e.message;
            throw e instanceof PhaseFailure ? e : new PhaseFailure(name, e.message);
        }
        finally {
            p.durationMs = Date.now() - t;
        }
    };
    try {
        await phase('upload', async () => {
            await d.lock();
            await d.upload(d.hosts);
            // The release phase works in the finished release (shared paths linked).
            if (cfg.release)
                await d.settle(d.hosts);
        });
        if (cfg.release) {
            const rcfg = cfg.release;
            // The SSH executor stops a cancelled or timed-out command on the host itself.
            const primary = d.hosts[0].exec;
            try {
                await phase('release phase', async () => {
                    log(`release phase on ${primary.target} in ${rcfg.workingDirectory}`);
                    release = await runReleasePhase(primary, rcfg, { log, signal, warn: (m) => warnings.push(m) });
                    if (release.status !== 'succeeded')
                        throw new Error(release.error ?? 'release phase failed');
                });
            }
            catch (e) {
                await phase('discard', () => d.discard()).catch(() => undefined);
                throw new PhaseFailure('release phase', `release phase failed; no host was switched to ${cfg.deploy.releaseId} and it was discarded.\n${e.message}`);
            }
        }
        else
            phases.push({ name: 'release phase', result: 'skipped', durationMs: 0 });
        await phase('switch', () => d.activate(d.hosts, { restartOnRevert: true }));
        health = await phase('health gate', async () => {
            const r = await runHealthGate(cfg.health, ctx.gateEvents, signal);
            if (!r.healthy) {
                health = r;
                throw new Error(`unhealthy:\n${r.failures.join('\n')}`);
            }
            return r;
        }).catch(async (e) => {
            await phase('rollback', async () => {
                await d.revert(d.hosts, { afterActivate: true, reason: 'health gate failed' });
                const stuck = d.hosts.filter((h) => h.switched && h.report.result !== 'reverted');
                if (stuck.length)
                    throw new Error(stuck.map((h) => `${h.exec.target}: ${h.report.error ?? ''}`).join('\n'));
            }).catch(() => undefined);
            throw new PhaseFailure('health gate', `health gate failed after the switch; ${rolledBack()
                ? `every host was switched back to ${d.hosts[0].report.previousReleaseId} and ${cfg.deploy.releaseId} was marked bad`
                : `NOT every host could be switched back: ${phases.at(-1)?.error ?? ''}`}.\n${e.message}`);
        });
        // Live and healthy: a failed log line or prune is worth a warning, not a failed deploy.
        await phase('finalize', () => d.finalize(d.hosts, { last: true })).catch((e) => {
            warnings.push(`the release is live and healthy, but recording/pruning old releases failed: ${e.message}`);
        });
    }
    catch (e) {
        error = e.message;
        failedPhase = e instanceof PhaseFailure ? e.phase : undefined;
    }
    finally {
        await d.unlock();
    }
    return {
        status: error ? (rolledBack() ? 'rolled-back' : 'failed') : 'deployed',
        failedPhase,
        rolledBack: rolledBack(),
        phases,
        deploy: d.report(error),
        release,
        health,
        durationMs: Date.now() - started,
        error,
        warnings,
    };
}


/***/ }),

/***/ 504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ic: () => (/* binding */ describeFailure),
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   X4: () => (/* binding */ runChecked),
/* harmony export */   gq: () => (/* binding */ succeeded)
/* harmony export */ });
/* unused harmony export lastLines */
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

/***/ 975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pv: () => (/* binding */ assertEnvName),
/* harmony export */   rx: () => (/* binding */ quoteArgv)
/* harmony export */ });
/* unused harmony export quoteArg */
/**
 * The one audited path from argv to a POSIX shell string (SSH exec hands the server a string).
 *
 * Every argument is wrapped in single quotes; an embedded single quote becomes '\'' (close, escaped
 * quote, reopen). Inside single quotes a POSIX shell interprets nothing: no $, `, \, globs or
 * newlines. Arguments made only of safe characters are left bare for readability.
 */
const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;
function quoteArg(arg) {
    if (arg.includes('\0')) {
        throw new Error('argument contains a NUL byte, which no shell can carry');
    }
    if (arg !== '' && SAFE.test(arg))
        return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
function quoteArgv(argv) {
    if (argv.length === 0)
        throw new Error('empty command');
    return argv.map(quoteArg).join(' ');
}
/** Environment variable names that may be exported on a remote shell line. */
function assertEnvName(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`"${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    }
    return name;
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


/***/ }),

/***/ 304:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ CommandTarget)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _exec_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(504);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(867);
/* harmony import */ var _commands_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(627);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(164);





/**
 * What every target that is reached by running commands (an SSH host, a long-lived container) shares:
 * the temp dir made by `mktemp -d` on first use, secret files written through stdin, removal on dispose.
 */
class CommandTarget {
    tmp;
    made = '';
    seq = 0;
    disposed = false;
    tempDir() {
        if (this.disposed)
            return Promise.reject(new Error(`${this.target}: target already disposed`));
        this.tmp ??= (0,_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(this, (0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .mktempCommand */ .uQ)(), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs }).then((r) => {
            const dir = r.stdout.trim();
            if (!dir.startsWith('/') || dir.includes('\n'))
                throw new Error(`mktemp on ${this.target} printed no directory`);
            this.made = dir;
            return dir;
        });
        return this.tmp;
    }
    /** A fresh name in the temp dir: `<prefix>-<n>`. */
    async freshPath(prefix) {
        return node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(await this.tempDir(), `${prefix}-${++this.seq}`);
    }
    async writeSecretFile(content, name) {
        const path = name ? node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(await this.tempDir(), (0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .assertFileName */ .u)(name)) : await this.freshPath('secret');
        await (0,_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(this, (0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .writeSecretCommand */ .T1)(path, content), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs });
        return path;
    }
    async dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        // Not tied to any signal: a cancelled run must still remove what it made.
        const dir = this.made || (await this.tmp?.catch(() => ''));
        if (dir)
            await this.run((0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .removeCommand */ .mR)(dir), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs });
    }
}


/***/ }),

/***/ 627:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T1: () => (/* binding */ writeSecretCommand),
/* harmony export */   bj: () => (/* binding */ receiveFileCommand),
/* harmony export */   l$: () => (/* binding */ withStdinFile),
/* harmony export */   mR: () => (/* binding */ removeCommand),
/* harmony export */   p7: () => (/* binding */ sha256Command),
/* harmony export */   qs: () => (/* binding */ withStdoutFile),
/* harmony export */   tz: () => (/* binding */ parseSha256),
/* harmony export */   uQ: () => (/* binding */ mktempCommand)
/* harmony export */ });
/**
 * The small commands a target runs on itself, as data. Every script is a constant; paths and names are
 * positional parameters, so nothing from input is ever parsed by a shell.
 */
/** A private (0700) temp dir; prints its path. */
function mktempCommand() {
    return { argv: ['mktemp', '-d', '-t', 'deploy-kit.XXXXXXXXXX'], label: 'mktemp -d' };
}
/** Writes stdin to `path` with mode 0600 (umask 077). */
function writeSecretCommand(path, content) {
    return {
        argv: ['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path],
        stdin: content,
        label: 'write secret file',
    };
}
/** Prints the sha256 of `path` (read through a redirect: no file-name escaping in the output). */
function sha256Command(path) {
    return { argv: ['sh', '-c', 'sha256sum < "$1"', 'sh', path], label: 'sha256sum' };
}
/** Writes stdin to `path` (0600) and prints its sha256, in one command. */
function receiveFileCommand(path) {
    return {
        argv: ['sh', '-c', 'umask 077 && cat > "$1" && sha256sum < "$1"', 'sh', path],
        label: 'receive file',
    };
}
function removeCommand(path) {
    return { argv: ['rm', '-rf', '--', path], label: 'cleanup' };
}
/**
 * Runs `cmd` with `file` as its stdin, without holding it in memory:
 * `sh -c 'f=$1; shift; exec "$@" < "$f"' sh <file> <argv…>`.
 */
function withStdinFile(cmd, file) {
    return {
        ...cmd,
        argv: ['sh', '-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', file, ...cmd.argv],
        label: cmd.label ?? cmd.argv[0],
    };
}
/** Runs `cmd` with its stdout written to `file` (0600). */
function withStdoutFile(cmd, file) {
    return {
        ...cmd,
        argv: ['sh', '-c', 'f=$1; shift; umask 077; exec "$@" > "$f"', 'sh', file, ...cmd.argv],
        label: cmd.label ?? cmd.argv[0],
    };
}
/** The sha256 printed by sha256sum (`<hex>  -`); throws when the output holds none. */
function parseSha256(stdout, where) {
    const m = /^([0-9a-f]{64})\b/m.exec(stdout.trim());
    if (!m)
        throw new Error(`sha256sum on ${where} printed no checksum: ${stdout.slice(0, 200)}`);
    return m[1];
}


/***/ }),

/***/ 164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ TransferMismatch),
/* harmony export */   u: () => (/* binding */ assertFileName)
/* harmony export */ });
/** File names a target makes in its temp dir: plain, no path separators, no dot-only names. */
function assertFileName(name) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(name)) {
        throw new Error(`"${name}" is not a plain file name for a temp file (letters, digits, . _ -)`);
    }
    return name;
}
/** Thrown when the two sides of a file move disagree: the copy is not the same bytes. */
class TransferMismatch extends Error {
    constructor(what, expected, actual) {
        super(`${what}: sha256 ${actual} on arrival, ${expected} at the source; the copy is not the same file`);
        this.name = 'TransferMismatch';
    }
}


/***/ })

};
