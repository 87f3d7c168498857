export const id = 791;
export const ids = [791];
export const modules = {

/***/ 2791:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   backupSummary: () => (/* binding */ backupSummary)
/* harmony export */ });
/* harmony import */ var _lib_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2543);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1119);


function backupSummary(r) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`backup-db: ${r.mode} ${r.engine} ${r.database}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['', ''], [
        ['engine', r.engine],
        ...(r.ranIn ? [['ran in', r.ranIn]] : []),
        ['server version', r.serverVersion],
        [r.mode === 'restore' ? 'restored from' : 'file', r.path],
        ...(r.remotePath ? [['copy on the server', r.remotePath]] : []),
        ['size', `${r.sizeBytes} bytes`],
        ['sha256', r.sha256],
        ['duration', (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(r.durationMs)],
        ['verification', r.verification],
        [
            `retention${r.retentionDryRun ? ' (dry run)' : ''}`,
            r.removed.length
                ? `${r.retentionDryRun ? 'would remove' : 'removed'} ${r.removed.join(', ')}`
                : `${r.retentionDryRun ? 'would remove' : 'removed'} nothing`,
        ],
    ]);
    if (r.kept.length) {
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('retention: kept', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['backup', 'why'], r.kept.map((k) => [k.name, k.reasons.join(', ')]));
    }
    const tables = Object.entries(r.counts);
    if (tables.length) {
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('tables', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['table', 'rows'], tables.map(([t, n]) => [t, String(n)]));
    }
    return md;
}


/***/ })

};
