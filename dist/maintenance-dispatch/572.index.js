export const id = 572;
export const ids = [572];
export const modules = {

/***/ 2572:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   maintenanceSummary: () => (/* binding */ maintenanceSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1119);
/* harmony import */ var _lib_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2543);


function maintenanceSummary(op, reports) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`maintenance: ${op}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['host', 'result', 'duration', 'down before', 'restarted', 'error'], reports.map((r) => [
        r.target,
        r.ok ? 'ok' : 'failed',
        (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(r.durationMs),
        r.down.join(', ') || '—',
        r.restarted.join(', ') || '—',
        r.error ?? '—',
    ]));
    for (const r of reports) {
        if (r.containers.length) {
            const stats = new Map(r.stats.map((s) => [s.ID ?? s.Container ?? '', s]));
            md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`${r.target} containers`, 4);
            md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['service', 'container', 'state', 'health', 'restarts', 'CPU', 'memory'], r.containers.map((c) => {
                const s = stats.get(c.id.slice(0, 12)) ?? stats.get(c.id);
                return [
                    c.service,
                    c.name,
                    c.state,
                    c.health ?? '—',
                    String(c.restarts),
                    s?.CPUPerc ?? '—',
                    s?.MemUsage ?? '—',
                ];
            }));
        }
        if (r.details && Object.keys(r.details).length) {
            md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`${r.target} details`, 4);
            md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['what', 'value'], Object.entries(r.details));
        }
        if (r.output.trim()) {
            md += `\n<details><summary>${(0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeCell */ .kq)(r.target)} output (last lines)</summary>\n${(0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .codeBlock */ .DV)(r.output.split('\n').slice(-60).join('\n'))}</details>\n`;
        }
    }
    return md;
}


/***/ })

};
