export const id = 165;
export const ids = [165];
export const modules = {

/***/ 165:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  paasSummary: () => (/* binding */ paasSummary)
});

// EXTERNAL MODULE: ./src/lib/duration.ts
var duration = __webpack_require__(543);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __webpack_require__(119);
;// CONCATENATED MODULE: ./src/core/health-gate/summary.ts

function healthGateSummary(r) {
    let md = (0,summary/* heading */.R_)(`health-gate: ${r.healthy ? '✅ healthy' : '❌ unhealthy'}`);
    md += (0,summary/* markdownTable */.Qj)(['URL', 'result', 'attempts', 'last status', 'latency p50 / p95 / max', 'TLS days left', 'failure reason'], r.urls.map((u) => [
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
        md += '\n' + (0,summary/* heading */.R_)('smoke load', 4);
        md += (0,summary/* markdownTable */.Qj)(['requests', 'errors', 'error rate', 'p50', 'p95', 'max', 'req/s', 'verdict'], [
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
                    (0,summary/* markdownTable */.Qj)(['error', 'count'], l.topErrors.map((e) => [e.reason, String(e.count)]));
        }
    }
    return md;
}
/** The `results` output: one object per URL, without the per-attempt history. */
function resultsJson(r) {
    return r.urls.map(({ history: _history, ...u }) => u);
}

// EXTERNAL MODULE: ./src/core/paas-deploy/run.ts + 17 modules
var run = __webpack_require__(390);
;// CONCATENATED MODULE: ./src/core/paas-deploy/summary.ts




const ICON = {
    ok: '✅ ok',
    'rolled-back': '↩️ rolled back',
    failed: '❌ failed',
};
/** The job summary: what ran where, what serves now (read back), each step, the gate, the last log lines. */
function paasSummary(cfg, r, durationMs) {
    let md = (0,summary/* heading */.R_)(`paas-deploy: ${ICON[r.status]}`);
    md += (0,summary/* markdownTable */.Qj)(['provider', 'app', 'mode', 'previous', 'this run', 'live now', 'provider status', 'time'], [
        [
            cfg.provider,
            r.app,
            cfg.mode === 'promote' ? `promote from ${cfg.app}${cfg.slug ? ` (slug ${cfg.slug})` : ''}` : cfg.mode,
            (0,run.describe)(r.previous),
            r.release ? (0,run.describe)(r.release) : '—',
            (0,run.describe)(r.live),
            r.providerStatus || '—',
            (0,duration/* formatDuration */.a3)(durationMs),
        ],
    ]);
    md += (0,summary/* tableSection */.Yc)('steps', ['step', 'result', 'detail'], r.steps.map((s) => [s.step, s.result, s.detail]));
    if (r.gate)
        md += '\n' + healthGateSummary(r.gate);
    if (r.failure)
        md += '\n' + (0,summary/* heading */.R_)('why', 4) + (0,summary/* codeBlock */.DV)(r.failure);
    if (r.releaseOutput.length)
        md += '\n' + (0,summary/* heading */.R_)('last log lines', 4) + (0,summary/* codeBlock */.DV)(r.releaseOutput.slice(-20).join('\n'));
    return md;
}


/***/ })

};
