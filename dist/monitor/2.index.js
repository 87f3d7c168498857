export const id = 2;
export const ids = [2];
export const modules = {

/***/ 2:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   monitorSummary: () => (/* binding */ monitorSummary)
/* harmony export */ });
/* harmony import */ var _lib_notify_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3651);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1119);


function monitorSummary(name, r) {
    const icon = r.state === 'up' ? '🟢' : r.state === 'down' ? '🔴' : '🛠️';
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`monitor: ${name} ${icon} ${r.state}`);
    if (r.maintenance)
        md += `\nMaintenance window: ${r.maintenance}. Checks were not counted; no incident was opened or closed; nothing was healed.\n`;
    if (r.checks.length)
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['check', 'result', 'problems'], r.checks.map((c) => [c.kind, c.ok ? 'ok' : 'FAILING', c.problems.join('\n') || '—']));
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .tableSection */ .Yc)('incident issues', ['kind', 'issue', 'state', 'this run', 'consecutive failures'], r.incidents.map((i) => [i.kind, `#${i.number}`, i.open ? 'open' : 'closed', i.action, String(i.failures)]));
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .tableSection */ .Yc)('heals', ['host', 'what', 'result'], r.heals.map((h) => [h.target, h.what, h.ok ? 'ok' : 'FAILED']));
    if (r.health)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('endpoints', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['URL', 'result', 'status', 'p95', 'TLS days left', 'reason'], r.health.urls.map((u) => [
                    u.url,
                    u.healthy ? 'healthy' : 'unhealthy',
                    u.status === null ? '—' : String(u.status),
                    `${u.latency.p95} ms`,
                    u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
                    u.reason || '—',
                ])) +
                (r.health.load
                    ? `\nSmoke load: ${r.health.load.requests} requests, error rate ${(r.health.load.errorRate * 100).toFixed(2)}%, p95 ${r.health.load.p95} ms — ${r.health.load.verdict}\n`
                    : '');
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .tableSection */ .Yc)('containers', ['host', 'service', 'container', 'state', 'health', 'restarts', 'CPU', 'memory'], r.containers.map((c) => [
        c.target,
        c.service,
        c.name,
        c.state,
        c.health ?? '—',
        String(c.restarts),
        c.cpu ?? '—',
        c.memory ?? '—',
    ]));
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .tableSection */ .Yc)('disk', ['host', 'path', 'mount', 'used', 'inodes used'], r.disk.map((d) => [
        d.target,
        d.path,
        d.mount,
        d.usedPercent === null ? '—' : `${d.usedPercent}%`,
        d.inodesUsedPercent === null ? '—' : `${d.inodesUsedPercent}%`,
    ]));
    if (r.errorLines.count)
        md += `\n${r.errorLines.count} error line(s) in the logs since the last run:\n${(0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .codeBlock */ .DV)(r.errorLines.samples.join('\n'))}`;
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .tableSection */ .Yc)('backups', ['host', 'newest', 'size', 'written'], r.backups.map((b) => [
        b.target,
        b.newest?.path ?? '(none)',
        b.newest ? String(b.newest.size) : '—',
        b.newest ? new Date(b.newest.mtimeMs).toISOString() : '—',
    ]));
    if (r.storage)
        md += `\nBackup storage: ${r.storage.message} (${r.storage.count} finished backup(s)).\n`;
    md += (0,_lib_notify_index_js__WEBPACK_IMPORTED_MODULE_0__/* .notifySummary */ .QB)(r.notifications);
    return md;
}


/***/ })

};
