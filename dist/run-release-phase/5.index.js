export const id = 5;
export const ids = [5];
export const modules = {

/***/ 5:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  releaseAccess: () => (/* binding */ releaseAccess),
  releaseTarget: () => (/* binding */ releaseTarget),
  runReleasePhase: () => (/* binding */ runReleasePhase)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
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

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(737);
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

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(858);
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


/***/ }),

/***/ 504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ic: () => (/* binding */ describeFailure),
/* harmony export */   X4: () => (/* binding */ runChecked),
/* harmony export */   gq: () => (/* binding */ succeeded)
/* harmony export */ });
/* unused harmony exports lastLines, CommandError */
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
