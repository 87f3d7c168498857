export const id = 690;
export const ids = [690];
export const modules = {

/***/ 690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HOST_COLUMNS: () => (/* binding */ HOST_COLUMNS),
/* harmony export */   deploySummary: () => (/* binding */ deploySummary),
/* harmony export */   hostCells: () => (/* binding */ hostCells)
/* harmony export */ });
/* harmony import */ var _lib_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(543);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(119);


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
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`ssh-rsync-deploy (${r.mode}): ${r.ok ? '✅' : '❌'} ${r.releaseId}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)([...HOST_COLUMNS, 'upload', 'commands', 'pruned', 'error'], r.hosts.map((h) => [
        ...hostCells(h),
        h.timings.upload === undefined ? '—' : (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(h.timings.upload),
        (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)((h.timings['before-activate'] ?? 0) + (h.timings['after-activate'] ?? 0)),
        h.pruned.join(', ') || '—',
        h.error ?? '—',
    ]));
    return md;
}


/***/ })

};
