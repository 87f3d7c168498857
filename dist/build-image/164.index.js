export const id = 164;
export const ids = [164];
export const modules = {

/***/ 164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   buildSummary: () => (/* binding */ buildSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(119);

const BUILDER_NAMES = {
    buildx: 'docker buildx build',
    buildkit: 'engine BuildKit (DOCKER_BUILDKIT=1 docker build)',
    classic: 'legacy builder (DOCKER_BUILDKIT=0)',
};
function size(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
function buildSummary(r) {
    const parts = [];
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`build-image: ✅ ${r.pushed ? r.digest : `built ${r.imageId || 'for every platform'} (not pushed)`}`));
    parts.push(`\nBuilder: ${BUILDER_NAMES[r.builder]}. Commit \`${r.revision.slice(0, 12)}\` at ${r.created}. ` +
        `Build ${(r.buildMs / 1000).toFixed(1)} s` +
        (r.pushed
            ? `, reproducible push ${(r.pushMs / 1000).toFixed(1)} s (${size(r.bytesUploaded)} uploaded). Pin deployments to \`${r.imageRef}\` (read back from the registry and verified).\n\n`
            : '. push is false: nothing was pushed and `digest` is empty; the image is tagged in the local engine only.\n\n'));
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['reference'], r.refs.length ? r.refs.map((x) => [x]) : [['(no tags: pushed by digest)']]));
    if (r.images.length) {
        parts.push('\n');
        parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['platform', 'manifest', 'layers', 'compressed size'], r.images.map((i) => [
            i.platform,
            i.manifest,
            String(i.layers.length),
            size(i.layers.reduce((a, l) => a + l.size, 0)),
        ])));
    }
    parts.push('\n');
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['label', 'value'], Object.entries(r.labels)));
    return parts.join('');
}


/***/ })

};
