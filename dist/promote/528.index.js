export const id = 528;
export const ids = [528];
export const modules = {

/***/ 528:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   promoteSummary: () => (/* binding */ promoteSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(119);

function promoteSummary(r, d = {}) {
    const rows = r.targets.map((t) => [
        t.ref,
        t.action,
        t.previous ?? '—',
        String(t.manifests),
        `${t.blobs.mounted} / ${t.blobs.copied} / ${t.blobs.present}`,
    ]);
    return ((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`promote: ✅ ${r.digest}`) +
        `\nSource \`${r.source}\`${r.resolvedFromTag ? ` (resolved from tag \`${r.resolvedFromTag}\`)` : ''}, ` +
        `${r.mediaType}${r.children ? `, ${r.children} child manifest(s)` : ''}.\n\n` +
        (d.requireDeployment && d.requiredId !== undefined
            ? `Required: deployment #${d.requiredId} of this digest in \`${d.requireDeployment}\` succeeded.\n\n`
            : '') +
        (d.environment && d.deploymentId !== undefined
            ? `Recorded as deployment #${d.deploymentId} in \`${d.environment}\`.\n\n`
            : '') +
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['target', 'result', 'previous digest', 'manifests', 'blobs mounted / copied / present'], rows));
}


/***/ })

};
