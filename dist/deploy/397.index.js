export const id = 397;
export const ids = [397];
export const modules = {

/***/ 397:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runOneStep: () => (/* binding */ runOneStep)
});

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(504);
// EXTERNAL MODULE: ./src/lib/lock.ts
var lib_lock = __webpack_require__(892);
// EXTERNAL MODULE: ./src/lib/release-history.ts
var release_history = __webpack_require__(419);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
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
${lib_lock/* LOCK_SH */.GM}
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
  if [ -f "$meta/releases.jsonl" ]; then tail -n ${release_history/* HISTORY_KEEP */.NY} -- "$meta/releases.jsonl" | sed 's/^/@history /'; fi
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
  if [ -f "$meta/releases.jsonl" ] && [ "$(wc -l < "$meta/releases.jsonl")" -gt ${release_history/* HISTORY_KEEP */.NY} ]; then
    tail -n ${release_history/* HISTORY_KEEP */.NY} -- "$meta/releases.jsonl" > "$meta/releases.jsonl.tmp"
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
        history: (0,release_history/* parseHistory */.i6)(o.history.join('\n')),
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
    const event = (e) => (0,release_history/* historyLine */.Jo)({ ...e, at: new Date().toISOString(), run: cfg.runUrl || undefined, by: cfg.actor || undefined });
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
                held = (await timed(h, 'lock', () => (0,lib_lock/* acquireLock */.IZ)(h.exec, base, {
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
        const back = (0,release_history/* rollbackTarget */.es)({
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
                const t = (0,release_history/* rollbackTarget */.es)({ history: st.history, current: from, existing: st.releases, bad: st.bad });
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
                .run((0,lib_lock/* unlockCommand */.I_)(base, cfg.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs })
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
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(737);
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

// EXTERNAL MODULE: ./src/core/run-release-phase/run.ts + 3 modules
var run = __webpack_require__(0);
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
                    release = await (0,run/* runReleasePhase */.yh)(primary, rcfg, { log, signal, warn: (m) => warnings.push(m) });
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


/***/ })

};
