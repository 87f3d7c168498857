export const id = 976;
export const ids = [976];
export const modules = {

/***/ 1976:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   composeDeploySummary: () => (/* binding */ composeDeploySummary),
/* harmony export */   hostsJson: () => (/* binding */ hostsJson)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1119);

const short = (image) => image
    .replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, '@sha256:$1…')
    .replace(/^sha256:([0-9a-f]{12})[0-9a-f]+$/, 'sha256:$1…');
/** The `hosts` output: one object per host. */
function hostsJson(r) {
    return r.hosts.map((h) => ({
        host: h.host,
        previousImage: h.previousImage,
        image: h.image,
        services: h.services,
        backup: h.backup
            ? {
                path: h.backup.path,
                sizeBytes: h.backup.sizeBytes,
                sha256: h.backup.sha256,
                verification: h.backup.verification,
                removed: h.backup.removed,
            }
            : null,
        migrations: h.migrations,
        swaps: h.swaps.map((s) => ({
            service: s.service,
            strategy: s.strategy,
            healthyMs: s.healthyMs,
            proxyMs: s.proxyMs,
            drainMs: s.drainMs,
            totalMs: s.totalMs,
        })),
        rolledBack: h.rolledBack,
        restored: h.restored ?? null,
        error: h.error ?? null,
    }));
}
/** Job summary: per host previous → new image, backup, migrations, swap timings, gate, rollback. */
function composeDeploySummary(r) {
    const icon = r.status === 'ok' ? '✅' : r.status === 'rolled-back' ? '↩️' : '❌';
    const parts = [
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`${icon} compose-deploy ${r.mode === 'rollback' ? 'rollback to' : 'release'} ${r.releaseId}: ${r.status}`),
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)([
            'host',
            'previous → new image',
            'backup',
            'migrations applied',
            'swap (healthy / proxy / drain / total)',
            'rolled back',
        ], r.hosts.map((h) => [
            h.host,
            `${short(h.previousImage) || '—'} → ${short(h.image) || '—'}`,
            h.backup ? `${h.backup.path} (${h.backup.sizeBytes} B, sha256 ${h.backup.sha256.slice(0, 12)}…)` : '—',
            h.migrations.join(', ') || '—',
            h.swaps
                .map((s) => `${s.service} (${s.strategy}): ${s.healthyMs} / ${s.proxyMs} / ${s.drainMs} / ${s.totalMs} ms`)
                .join('<br>') || '—',
            h.rolledBack ? `yes${h.restored ? `; database restored: ${h.restored}` : ''}` : 'no',
        ])),
    ];
    if (r.health) {
        parts.push(`Health gate: ${r.health.healthy ? 'passed' : 'failed'} after ${r.health.attempts} attempt(s), p50 ${r.health.p50} ms, p95 ${r.health.p95} ms${r.health.failures.length ? ` — ${r.health.failures.join('; ')}` : ''}`);
    }
    if (r.error)
        parts.push(`**Error:** ${r.error.split('\n')[0]}`);
    const phases = Object.entries(r.phases)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ');
    parts.push(`Duration: ${r.durationMs} ms${phases ? ` (${phases})` : ''}`);
    return parts.join('\n\n') + '\n';
}


/***/ })

};
