export const id = 198;
export const ids = [198];
export const modules = {

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
