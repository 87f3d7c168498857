export const id = 515;
export const ids = [515];
export const modules = {

/***/ 515:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   releaseSummary: () => (/* binding */ releaseSummary)
/* harmony export */ });
/* harmony import */ var _lib_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(543);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(119);


function releaseSummary(r) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`run-release-phase on ${r.target}: ${r.status === 'succeeded' ? '✅ succeeded' : '❌ failed'} in ${(0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(r.durationMs)}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['step', 'result', 'duration'], r.steps.map((s) => [s.name, s.ok ? 'ok' : 'failed', (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(s.durationMs)]));
    md += `\nMigrations applied (${r.migrations.framework}): ${r.migrations.applied.length ? r.migrations.applied.join(', ') : 'none'}\n`;
    if (r.error)
        md += `\n\`\`\`\n${r.error.replace(/```/g, "'''")}\n\`\`\`\n`;
    return md;
}


/***/ })

};
