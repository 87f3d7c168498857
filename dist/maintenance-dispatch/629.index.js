export const id = 629;
export const ids = [629];
export const modules = {

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
