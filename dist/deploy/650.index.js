export const id = 650;
export const ids = [650,198];
export const modules = {

/***/ 650:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  oneStepSummary: () => (/* binding */ oneStepSummary)
});

// EXTERNAL MODULE: ./src/lib/duration.ts
var duration = __webpack_require__(543);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __webpack_require__(119);
;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/summary.ts


/** The first columns of every per-host upload table (ssh-rsync-deploy's and the root action's). */
const HOST_COLUMNS = ['host', 'result', 'release', 'previous', 'files sent', 'bytes sent'];
const hostCells = (h) => [
    h.host,
    h.result,
    h.releaseId,
    h.previousReleaseId || '—',
    String(h.files),
    String(h.bytesSent),
];
function deploySummary(r) {
    let md = heading(`ssh-rsync-deploy (${r.mode}): ${r.ok ? '✅' : '❌'} ${r.releaseId}`);
    md += markdownTable([...HOST_COLUMNS, 'upload', 'commands', 'pruned', 'error'], r.hosts.map((h) => [
        ...hostCells(h),
        h.timings.upload === undefined ? '—' : formatDuration(h.timings.upload),
        formatDuration((h.timings['before-activate'] ?? 0) + (h.timings['after-activate'] ?? 0)),
        h.pruned.join(', ') || '—',
        h.error ?? '—',
    ]));
    return md;
}

// EXTERNAL MODULE: ./src/core/health-gate/summary.ts
var health_gate_summary = __webpack_require__(198);
;// CONCATENATED MODULE: ./src/core/run-release-phase/summary.ts


function releaseSummary(r) {
    let md = (0,summary/* heading */.R_)(`run-release-phase on ${r.target}: ${r.status === 'succeeded' ? '✅ succeeded' : '❌ failed'} in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`);
    md += (0,summary/* markdownTable */.Qj)(['step', 'result', 'duration'], r.steps.map((s) => [s.name, s.ok ? 'ok' : 'failed', (0,duration/* formatDuration */.a3)(s.durationMs)]));
    md += `\nMigrations applied (${r.migrations.framework}): ${r.migrations.applied.length ? r.migrations.applied.join(', ') : 'none'}\n`;
    if (r.error)
        md += `\n\`\`\`\n${r.error.replace(/```/g, "'''")}\n\`\`\`\n`;
    return md;
}

;// CONCATENATED MODULE: ./src/core/deploy/summary.ts





const oneLine = (text) => {
    const t = text.replace(/\s*\n\s*/g, ' ').trim();
    return t.length > 300 ? `${t.slice(0, 297)}…` : t;
};
const ms = (v) => (v === undefined ? '—' : (0,duration/* formatDuration */.a3)(v));
/** One table per phase, each with its timings; the phases that did not run are left out. */
function oneStepSummary(r) {
    const d = r.deploy;
    const icon = r.status === 'deployed' ? '✅' : '❌';
    let md = (0,summary/* heading */.R_)(`deploy: ${icon} ${r.status} ${d.releaseId}${d.previousReleaseId ? ` (previous ${d.previousReleaseId})` : ''} in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`);
    md += (0,summary/* markdownTable */.Qj)(['phase', 'result', 'duration', 'error'], r.phases.map((p) => [
        p.name,
        p.result,
        p.result === 'skipped' ? '—' : ms(p.durationMs),
        p.error ? oneLine(p.error) : '—',
    ]));
    const ran = (name) => r.phases.some((p) => p.name === name && p.result !== 'skipped');
    if (ran('upload')) {
        md += '\n' + (0,summary/* heading */.R_)('upload', 4);
        md += (0,summary/* markdownTable */.Qj)([...HOST_COLUMNS, 'connect + lock', 'upload', 'before-activate', 'error'], d.hosts.map((h) => [
            ...hostCells(h),
            ms(h.timings.lock),
            ms(h.timings.upload),
            ms(h.timings['before-activate']),
            h.error ?? '—',
        ]));
    }
    if (r.release)
        md += '\n' + releaseSummary(r.release);
    if (ran('switch')) {
        md += '\n' + (0,summary/* heading */.R_)('switch', 4);
        md += (0,summary/* markdownTable */.Qj)(['host', 'current', 'switch', 'after-activate', 'pruned'], d.hosts.map((h) => [
            h.host,
            h.result === 'reverted' ? `${h.previousReleaseId} (back from ${h.releaseId})` : h.releaseId,
            ms(h.timings.switch),
            ms(h.timings['after-activate']),
            h.pruned.join(', ') || '—',
        ]));
    }
    if (r.health)
        md += '\n' + (0,health_gate_summary.healthGateSummary)(r.health);
    if (ran('rollback')) {
        md += '\n' + (0,summary/* heading */.R_)('rollback', 4);
        md += (0,summary/* markdownTable */.Qj)(['host', 'result', 'back to', 'switch back', 'after-activate', 'marked bad', 'error'], d.hosts.map((h) => [
            h.host,
            h.result,
            h.previousReleaseId || '—',
            ms(h.timings.revert),
            ms(h.timings['revert after-activate']),
            h.releaseId,
            h.error ?? '—',
        ]));
    }
    if (r.error)
        md += (0,summary/* codeBlock */.DV)(r.error);
    return md;
}


/***/ }),

/***/ 198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   healthGateSummary: () => (/* binding */ healthGateSummary),
/* harmony export */   resultsJson: () => (/* binding */ resultsJson)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(119);

function healthGateSummary(r) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`health-gate: ${r.healthy ? '✅ healthy' : '❌ unhealthy'}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['URL', 'result', 'attempts', 'last status', 'latency p50 / p95 / max', 'TLS days left', 'failure reason'], r.urls.map((u) => [
        u.url,
        u.healthy ? 'healthy' : 'unhealthy',
        String(u.attempts),
        u.status === null ? '—' : String(u.status),
        `${u.latency.p50} / ${u.latency.p95} / ${u.latency.max} ms`,
        u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
        u.reason || '—',
    ]));
    if (r.load) {
        const l = r.load;
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)('smoke load', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['requests', 'errors', 'error rate', 'p50', 'p95', 'max', 'req/s', 'verdict'], [
            [
                String(l.requests),
                String(l.errors),
                `${(l.errorRate * 100).toFixed(2)}%`,
                `${l.p50} ms`,
                `${l.p95} ms`,
                `${l.max} ms`,
                l.rps.toFixed(1),
                l.verdict,
            ],
        ]);
        if (l.topErrors.length) {
            md +=
                '\n' +
                    (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['error', 'count'], l.topErrors.map((e) => [e.reason, String(e.count)]));
        }
    }
    return md;
}
/** The `results` output: one object per URL, without the per-attempt history. */
function resultsJson(r) {
    return r.urls.map(({ history: _history, ...u }) => u);
}


/***/ })

};
