export const id = 654;
export const ids = [654,640,629];
export const modules = {

/***/ 640:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  READ_ONLY_OPERATIONS: () => (/* binding */ READ_ONLY_OPERATIONS),
  underHostLock: () => (/* binding */ underHostLock)
});

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(1737);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
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

;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/host-lock.ts


const READ_ONLY_OPERATIONS = new Set(['status', 'logs']);
/** Runs `fn` holding the lock of `base` on `target`; a lock that cannot be taken becomes `onLockFailure`. */
async function underHostLock(target, op, lock, ctx, fn, onLockFailure) {
    if (READ_ONLY_OPERATIONS.has(op))
        return fn();
    if (!lock.base) {
        ctx.warn(`${target.target}: ${op} ran without the deploy lock (no path or lock-path given): it may interleave with a deploy`, 'no deploy lock');
        return fn();
    }
    let held;
    try {
        held = await acquireLock(target, lock.base, {
            owner: `maintenance-dispatch ${op} ${lock.owner}`.trim(),
            timeoutMs: lock.timeoutMs,
            ttlMs: timeouts/* TIMEOUTS */.f.releaseLockTtlMs,
            signal: ctx.signal,
            onWait: (by, age) => ctx.log(`${target.target}: waiting for the deploy lock held by ${by} (${age} s)`),
        });
    }
    catch (e) {
        return onLockFailure(e.message);
    }
    try {
        return await fn();
    }
    finally {
        const problem = await held.release();
        if (problem)
            ctx.warn(problem);
    }
}


/***/ }),

/***/ 8654:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MENU_OPERATIONS: () => (/* reexport */ menu_operations/* MENU_OPERATIONS */.rj),
  allowed: () => (/* reexport */ menu_operations/* allowed */.TQ),
  findComposeFileCommand: () => (/* binding */ findComposeFileCommand),
  isMenuOperation: () => (/* reexport */ menu_operations/* isMenuOperation */.lB),
  parseRollbackState: () => (/* binding */ parseRollbackState),
  pickRollback: () => (/* binding */ pickRollback),
  rollbackStateCommand: () => (/* binding */ rollbackStateCommand),
  runMenuOperation: () => (/* binding */ runMenuOperation),
  setEnvCommand: () => (/* binding */ setEnvCommand),
  splitCommandLine: () => (/* reexport */ menu_operations/* splitCommandLine */.aL)
});

// EXTERNAL MODULE: ./src/lib/compose.ts
var compose = __webpack_require__(9163);
// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(5504);
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

;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/maintenance-mode.ts
function maintenanceDir(base) {
    return `${base.replace(/\/+$/, '')}/.deploy-kit/maintenance`;
}
const ON_SH = [
    'set -eu',
    'd="$1/.deploy-kit/maintenance"',
    'mkdir -p -- "$d"',
    'chmod 755 -- "$1/.deploy-kit" "$d"',
    'cat > "$d/.index.html.tmp"',
    'printf "%s\\n" "$2" > "$d/.on.tmp"',
    'chmod 644 -- "$d/.index.html.tmp" "$d/.on.tmp"',
    'mv -f -- "$d/.index.html.tmp" "$d/index.html"',
    'mv -f -- "$d/.on.tmp" "$d/on"',
    'echo "@maintenance on"',
].join('\n');
/** Writes the page (from stdin) and then the switch file, each by rename: nginx never sees half a file. */
function maintenanceOnCommand(base, w, page) {
    return { argv: ['sh', '-c', ON_SH, 'sh', base, JSON.stringify(w)], stdin: page, label: 'maintenance on' };
}
const OFF_SH = 'd="$1/.deploy-kit/maintenance"; if [ -e "$d/on" ]; then rm -f -- "$d/on"; echo "@maintenance off"; else echo "@maintenance was off"; fi';
function maintenanceOffCommand(base) {
    return { argv: ['sh', '-c', OFF_SH, 'sh', base], label: 'maintenance off' };
}
const READ_SH = 'f="$1/.deploy-kit/maintenance/on"; if [ -e "$f" ]; then echo "@maintenance on"; head -c 4096 -- "$f"; else echo "@maintenance off"; fi';
function readMaintenanceCommand(base) {
    return { argv: ['sh', '-c', READ_SH, 'sh', base], label: 'read maintenance state' };
}
/** undefined = off; a window (possibly expired) when on. A switch file that is not JSON counts as on, no expiry. */
function parseMaintenance(stdout) {
    const [first, ...rest] = stdout.split('\n');
    if (first?.trim() !== '@maintenance on')
        return undefined;
    try {
        const w = JSON.parse(rest.join('\n'));
        return { until: w.until ?? '', reason: w.reason ?? '', by: w.by ?? '', since: w.since ?? '' };
    }
    catch {
        return { until: '', reason: 'switch file present (not written by deploy-kit)', by: '', since: '' };
    }
}
/** A window is active while `until` is in the future; one without an end stays active until switched off. */
function isActive(w, now) {
    if (!w.until)
        return true;
    const t = new Date(w.until).getTime();
    return Number.isNaN(t) || t > now.getTime();
}
function esc(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
/** The default 503 page: plain, no external resources, says when it should be over. */
function defaultMaintenancePage(message, until) {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Down for maintenance</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}</style>
</head><body>
<h1>Down for maintenance</h1>
<p>${esc(message)}</p>
${until ? `<p>Expected back by <time datetime="${esc(until)}">${esc(until)}</time>.</p>` : ''}
</body></html>
`;
}

// EXTERNAL MODULE: ./src/core/maintenance-dispatch/menu-operations.ts
var menu_operations = __webpack_require__(2400);
// EXTERNAL MODULE: ./src/core/maintenance-dispatch/host-lock.ts + 1 modules
var host_lock = __webpack_require__(640);
// EXTERNAL MODULE: ./src/core/maintenance-dispatch/run.ts
var maintenance_dispatch_run = __webpack_require__(3629);
// EXTERNAL MODULE: ./src/core/maintenance-dispatch/status.ts
var maintenance_dispatch_status = __webpack_require__(5828);
;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/menu.ts









const ROLLBACK_SH = String.raw `set -eu
dir=$1; var=$2
cat -- "$dir/.deploy-kit/releases.jsonl" 2>/dev/null || true
echo "@@images"
if [ -d "$dir/.deploy-kit/images" ]; then for p in "$dir/.deploy-kit/images"/*; do [ -f "$p" ] && case "$p" in *.tmp) ;; *) printf '%s\t%s\n' "\${p##*/}" "$(head -n 1 -- "$p")" ;; esac; done; fi
echo "@@env"
if [ -f "$dir/.env" ]; then awk -v n="$var" 'index($0, n "=") == 1 { v = substr($0, length(n) + 2) } END { print v }' "$dir/.env"; fi
`.replace(/\\\$\{/g, '$' + '{');
/** What a rollback needs to know, in one call: the history, each recorded release's image, the live value. */
function rollbackStateCommand(dir, variable) {
    return { argv: ['sh', '-c', ROLLBACK_SH, 'sh', dir, variable], label: 'read release history' };
}
function parseRollbackState(stdout) {
    const [hist = '', rest = ''] = stdout.split('@@images\n');
    const [imgs = '', env = ''] = rest.split('@@env\n');
    const images = new Map();
    for (const l of imgs.split('\n')) {
        const [id, image] = l.split('\t');
        if (id && image)
            images.set(id, image.trim());
    }
    return { history: parseHistory(hist), images, live: env.trim() };
}
/**
 * Where a rollback goes and with which image: `want` is `previous` (the release live before, by the history)
 * or a release id. The image comes from the history's `activate` event, else from `.deploy-kit/images/<id>`
 * (histories written before events carried it). Throws, naming what is missing, when there is nothing to do.
 */
function pickRollback(st, want, where) {
    const activations = st.history.filter((e) => e.event === 'activate');
    if (!activations.length)
        throw new Error(`rollback: no release history in ${where.dir}/.deploy-kit/releases.jsonl on ${where.host} (compose-deploy writes it); nothing was changed. Without it, run update with env ${where.imageVariable}=<the previous image digest>`);
    const current = activations.at(-1).id;
    const withImage = new Set([...st.images.keys(), ...activations.filter((e) => e.image).map((e) => e.id)]);
    const to = want === 'previous' ? rollbackTarget({ history: st.history, current, existing: withImage }) : want;
    if (!to)
        throw new Error(`rollback: no earlier good release is recorded on ${where.host} (current: ${current}); nothing was changed`);
    if (to === current)
        throw new Error(`rollback: ${to} is already live; nothing was changed`);
    const image = imageOf(st.history, to) ?? st.images.get(to);
    if (!image)
        throw new Error(`rollback: release ${to} has no recorded image (neither in the history nor in ${where.dir}/.deploy-kit/images/); nothing was changed`);
    // Checked before anything changes: the history line written after the switch must not be refused then.
    if (!isHistoryImage(image))
        throw new Error(`rollback: the image recorded for ${to} ("${image.slice(0, 80)}") is not an image reference; nothing was changed`);
    return { current, to, image };
}
const FIND_COMPOSE_SH = 'for n in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do [ -f "$1/$n" ] && { printf "%s\\n" "$1/$n"; exit 0; }; done; echo "no compose file in $1 (compose.yaml, docker-compose.yml ...): set compose-file" >&2; exit 3';
/** The compose file Compose itself would pick in `dir` (its default names, in its order). */
function findComposeFileCommand(dir) {
    return { argv: ['sh', '-c', FIND_COMPOSE_SH, 'sh', dir], label: 'find the compose file' };
}
const SET_ENV_SH = String.raw `set -eu
f="$1/.env"; tmp="$1/.env.deploy-kit.$$"
if [ -f "$f" ]; then
  awk -v n="$2" -v v="$3" 'index($0, n "=") == 1 { if (!d) print n "=" v; d = 1; next } { print } END { if (!d) print n "=" v }' "$f" > "$tmp"
  chmod --reference="$f" "$tmp" 2>/dev/null || true
else
  printf '%s=%s\n' "$2" "$3" > "$tmp"
fi
mv -f -- "$tmp" "$f"
`;
/** Sets one variable in the project's `.env` (other lines kept in order) by a rename: never half written. */
function setEnvCommand(dir, variable, value) {
    if (/[\r\n]/.test(value))
        throw new Error(`${variable}: a value with a line break cannot go in .env`);
    return { argv: ['sh', '-c', SET_ENV_SH, 'sh', dir, variable, value], label: `set ${variable} in .env` };
}
/** Runs one menu operation on one host, under the host's deploy lock. */
async function runMenuOperation(host, runner, op, s, ctx) {
    const started = Date.now();
    const report = { ...(0,maintenance_dispatch_run.emptyHostReport)(host.target, op), details: {} };
    const quiet = { timeoutMs: s.timeoutMs, signal: ctx.signal };
    const run = (cmd, o = quiet) => (0,types/* runChecked */.X4)(host, { ...cmd, env: { ...s.env, ...cmd.env } }, o);
    try {
        // Refusals first, before the lock: nothing is touched when the request itself is wrong.
        if (op === 'rollback' && s.confirm !== 'rollback')
            throw new Error('input `confirm`: rollback switches the live release; set confirm to exactly "rollback" to proceed');
        if (op === 'restore-db' && !s.confirm)
            throw new Error('input `confirm`: restore-db replaces the database contents; set confirm to the database name');
        if (op === 'exec') {
            if (!s.exec.argv.length)
                throw new Error('input `exec-command`: is required for exec');
            if (!(0,menu_operations/* allowed */.TQ)(s.exec.argv, s.exec.allow))
                throw new Error(`input \`exec-command\`: "${s.exec.argv.join(' ')}" is not in exec-allow (add the exact command line there; a last word * allows further arguments)`);
        }
        if ((op === 'backup-db' || op === 'restore-db') && !s.backup)
            throw new Error(`${op}: backup settings missing`);
        // The host's deploy lock, as the compose operations that change something take it (host-lock.ts).
        const lock = { base: s.base, timeoutMs: s.lockTimeoutMs, owner: s.owner };
        await (0,host_lock.underHostLock)(host, op, lock, ctx, async () => {
            switch (op) {
                case 'maintenance-on': {
                    const w = {
                        until: s.maintenance.until,
                        reason: s.maintenance.message,
                        by: s.maintenance.by,
                        since: new Date().toISOString(),
                    };
                    const page = s.maintenance.page ?? defaultMaintenancePage(s.maintenance.message, w.until);
                    await run(maintenanceOnCommand(s.base, w, page));
                    report.details = { until: w.until, switch: `${s.base}/.deploy-kit/maintenance/on` };
                    ctx.log(`${host.target}: maintenance page on until ${w.until}`);
                    break;
                }
                case 'maintenance-off': {
                    const before = parseMaintenance((await run(readMaintenanceCommand(s.base))).stdout);
                    const r = await run(maintenanceOffCommand(s.base));
                    report.details = { was: before ? `on until ${before.until || '(no end)'}` : 'off' };
                    report.output = r.stdout;
                    break;
                }
                case 'exec': {
                    const p = { flavor: await (0,compose/* detectCompose */.i)(host, ctx.signal), ...s.compose };
                    const r = await run((0,compose/* composeCommand */.e)(p, ['exec', '-T', s.exec.service, ...s.exec.argv], { label: s.exec.argv.join(' ') }), {
                        ...quiet,
                        idleTimeoutMs: s.idleTimeoutMs,
                        maxBuffer: 256 * 1024,
                    });
                    report.output = r.stdout + r.stderr;
                    report.details = { service: s.exec.service, command: s.exec.argv.join(' ') };
                    break;
                }
                case 'rollback': {
                    const dir = s.compose.cwd ?? s.base;
                    const st = parseRollbackState((await run(rollbackStateCommand(dir, s.rollback.imageVariable))).stdout);
                    const { current, to, image } = pickRollback(st, s.rollback.to, {
                        dir,
                        host: host.target,
                        imageVariable: s.rollback.imageVariable,
                    });
                    const p = { flavor: await (0,compose/* detectCompose */.i)(host, ctx.signal), ...s.compose };
                    ctx.log(`${host.target}: rollback ${current} → ${to} (${s.rollback.imageVariable}=${image})`);
                    await run(setEnvCommand(dir, s.rollback.imageVariable, image));
                    try {
                        await run((0,compose/* composeCommand */.e)(p, ['up', '-d', '--no-build', '--remove-orphans'], { label: `up ${to}` }), {
                            ...quiet,
                            idleTimeoutMs: s.idleTimeoutMs,
                        });
                        const after = await (0,maintenance_dispatch_run.containerStatus)(host, p, quiet, s.env);
                        const down = after.length ? (0,maintenance_dispatch_status/* servicesDown */.pq)(after) : ['(no containers)'];
                        if (down.length)
                            throw new Error(`services down after switching to ${to}: ${down.join(', ')}`);
                        report.containers = after;
                    }
                    catch (e) {
                        // Fail closed: put the live value back and bring the project up on it again.
                        if (st.live) {
                            await run(setEnvCommand(dir, s.rollback.imageVariable, st.live)).catch(() => undefined);
                            await run((0,compose/* composeCommand */.e)(p, ['up', '-d', '--no-build', '--remove-orphans'])).catch(() => undefined);
                        }
                        throw new Error(`${e.message}; switched back to ${current}`);
                    }
                    const at = new Date().toISOString();
                    await run(markBadCommand(dir, {
                        id: current,
                        at,
                        reason: 'rolled back by maintenance-dispatch',
                        ...(s.owner ? { run: s.owner } : {}),
                    }));
                    await run(appendHistoryCommand(dir, [
                        {
                            event: 'activate',
                            id: to,
                            at,
                            from: current,
                            how: 'rollback',
                            image,
                            ...(s.owner ? { run: s.owner } : {}),
                        },
                    ]));
                    report.details = { from: current, to, image };
                    report.restarted = ['(changed services)'];
                    break;
                }
                case 'backup-db':
                case 'restore-db': {
                    let backup = s.backup;
                    if (s.backupComposeDir) {
                        const file = (await run(findComposeFileCommand(s.backupComposeDir))).stdout.trim();
                        backup = { ...backup, composeFiles: [file] };
                    }
                    const { runBackup, runRestore } = await __webpack_require__.e(/* import() */ 821).then(__webpack_require__.bind(__webpack_require__, 6821));
                    const r = op === 'backup-db'
                        ? await runBackup(backup, { host, runner }, ctx)
                        : await runRestore(backup, { host, runner }, ctx);
                    report.details = {
                        path: r.path,
                        ...(r.remotePath ? { 'remote-path': r.remotePath } : {}),
                        'size-bytes': String(r.sizeBytes),
                        sha256: r.sha256,
                        verified: String(r.verified),
                    };
                    break;
                }
            }
        }, (message) => {
            throw new Error(message);
        });
        report.ok = true;
    }
    catch (e) {
        report.error = e.message;
    }
    report.durationMs = Date.now() - started;
    return report;
}


/***/ }),

/***/ 3629:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NO_CONTAINERS: () => (/* binding */ NO_CONTAINERS),
/* harmony export */   containerStatus: () => (/* binding */ containerStatus),
/* harmony export */   emptyHostReport: () => (/* binding */ emptyHostReport),
/* harmony export */   runMaintenance: () => (/* binding */ runMaintenance),
/* harmony export */   stillDown: () => (/* binding */ stillDown)
/* harmony export */ });
/* harmony import */ var _lib_compose_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9163);
/* harmony import */ var _lib_exec_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5504);
/* harmony import */ var _lib_output_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9858);
/* harmony import */ var _operations_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1928);
/* harmony import */ var _status_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5828);






/** What `down` says for a compose project that has no containers at all. */
const NO_CONTAINERS = '(no containers)';
/** Every container of the project (running or not) with its state and health. */
async function containerStatus(exec, p, o, env) {
    const ids = (await (0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(exec, { ...(0,_operations_js__WEBPACK_IMPORTED_MODULE_2__/* .listContainers */ .ts)(p), env }, o)).stdout.split('\n').filter(Boolean);
    if (ids.length === 0)
        return [];
    return (0,_status_js__WEBPACK_IMPORTED_MODULE_3__/* .parseInspectLines */ .pl)((await (0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(exec, { ...(0,_operations_js__WEBPACK_IMPORTED_MODULE_2__/* .inspectContainers */ .Xu)(ids), env }, o)).stdout);
}
/**
 * Services that make heal or update fail: heal answers for every service; an update narrowed to one
 * service answers for that service only (a stopped, unrelated worker is not its failure).
 */
function stillDown(op, containers, service) {
    if (op !== 'heal' && op !== 'update')
        return [];
    const down = (0,_status_js__WEBPACK_IMPORTED_MODULE_3__/* .servicesDown */ .pq)(containers);
    return op === 'update' && service ? down.filter((x) => x === service) : down;
}
/** A report with nothing done yet (also the report of a host whose operation could not start). */
function emptyHostReport(target, operation, error) {
    return {
        target,
        operation,
        ok: false,
        durationMs: 0,
        containers: [],
        down: [],
        restarted: [],
        stats: [],
        output: '',
        ...(error !== undefined ? { error } : {}),
    };
}
/**
 * Runs one maintenance operation on one host. Never throws for a failed command: the report says it.
 * The commands' output streams to `ctx.log` as whole lines (redacted and neutralized there).
 */
async function runMaintenance(exec, op, s, ctx, o) {
    const started = Date.now();
    const report = emptyHostReport(exec.target, op);
    const quiet = { timeoutMs: o.timeoutMs, signal: ctx.signal };
    const run = async (cmd, streamed = true) => {
        const out = streamed ? (0,_lib_output_js__WEBPACK_IMPORTED_MODULE_4__/* .streamLogger */ .VO)(ctx.log) : undefined;
        try {
            return await (0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(exec, { ...cmd, env: { ...o.env, ...cmd.env } }, streamed
                ? {
                    ...quiet,
                    idleTimeoutMs: o.idleTimeoutMs,
                    maxBuffer: 256 * 1024,
                    onStdout: out.onStdout,
                    onStderr: out.onStderr,
                }
                : quiet);
        }
        finally {
            out?.flush();
        }
    };
    try {
        const flavor = await (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .detectCompose */ .i)(exec, ctx.signal);
        const p = { flavor, ...s.compose };
        if (op === 'status') {
            report.containers = await containerStatus(exec, p, quiet, o.env);
            report.down = report.containers.filter(_status_js__WEBPACK_IMPORTED_MODULE_3__/* .isDown */ .Pj).map((c) => c.service);
            // A project with no containers at all is down (never started, or removed), not "nothing is wrong".
            if (!report.containers.length)
                report.down = [NO_CONTAINERS];
            if (report.containers.length) {
                const stats = await run((0,_operations_js__WEBPACK_IMPORTED_MODULE_2__/* .resourceFigures */ .U6)(report.containers.map((c) => c.id)), false);
                report.stats = stats.stdout
                    .split('\n')
                    .filter(Boolean)
                    .map((l) => JSON.parse(l));
            }
        }
        else if (op === 'heal') {
            const before = await containerStatus(exec, p, quiet, o.env);
            if (!before.length) {
                report.down = [NO_CONTAINERS];
                throw new Error(`the compose project has no containers on ${exec.target}: nothing to start (deploy it first; check path, compose-file and project-name)`);
            }
            report.down = (0,_status_js__WEBPACK_IMPORTED_MODULE_3__/* .servicesDown */ .pq)(before);
            if (report.down.length) {
                const stopped = [...new Set(before.filter((c) => c.state !== 'running').map((c) => c.service))];
                const unhealthy = [
                    ...new Set(before.filter((c) => c.state === 'running' && c.health === 'unhealthy').map((c) => c.service)),
                ];
                if (stopped.length)
                    await run((0,_operations_js__WEBPACK_IMPORTED_MODULE_2__/* .startServices */ .Fp)(p, stopped));
                if (unhealthy.length)
                    await run((0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['restart', ...unhealthy], { label: `restart ${unhealthy.join(', ')}` }));
                report.restarted = [...stopped, ...unhealthy].sort();
            }
            report.containers = await containerStatus(exec, p, quiet, o.env);
        }
        else {
            const out = [];
            for (const cmd of (0,_operations_js__WEBPACK_IMPORTED_MODULE_2__/* .operationCommands */ .oX)(op, p, s)) {
                const r = await run(cmd);
                out.push(r.stdout + r.stderr);
            }
            report.output = out.join('\n');
            if (op.startsWith('restart'))
                report.restarted =
                    op === 'restart-all'
                        ? ['(all)']
                        : [op === 'restart-db' ? s.dbService : op === 'restart-backend' ? s.backendService : s.service];
            if (op.startsWith('restart') || op === 'update')
                report.containers = await containerStatus(exec, p, quiet, o.env);
        }
        const down = stillDown(op, report.containers, s.service);
        report.ok = down.length === 0;
        if (!report.ok)
            report.error = `still down after ${op}: ${down.join(', ')}`;
    }
    catch (e) {
        report.error = e.message;
    }
    report.durationMs = Date.now() - started;
    return report;
}


/***/ }),

/***/ 5828:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pj: () => (/* binding */ isDown),
/* harmony export */   pl: () => (/* binding */ parseInspectLines),
/* harmony export */   pq: () => (/* binding */ servicesDown)
/* harmony export */ });
/** Parses the `inspectContainers` output (the whole State object: Health exists only with a healthcheck). */
function parseInspectLines(stdout) {
    return stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
        const c = JSON.parse(l);
        return {
            id: c.id,
            name: c.name.replace(/^\//, ''),
            service: c.labels?.['com.docker.compose.service'] ?? '',
            state: c.state.Status,
            health: c.state.Health?.Status ?? null,
            restarts: c.restarts,
            exitCode: c.state.ExitCode,
            startedAt: c.state.StartedAt,
        };
    });
}
/** A container needs attention when it is not running, or Docker's healthcheck says unhealthy. */
function isDown(c) {
    return c.state !== 'running' || c.health === 'unhealthy';
}
/** Services with at least one container down (stopped, exited, dead, unhealthy). */
function servicesDown(containers) {
    return [
        ...new Set(containers
            .filter(isDown)
            .map((c) => c.service)
            .filter(Boolean)),
    ].sort();
}


/***/ }),

/***/ 5504:
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


/***/ })

};
