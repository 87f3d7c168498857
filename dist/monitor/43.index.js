export const id = 43;
export const ids = [43];
export const modules = {

/***/ 7043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   notifyFailure: () => (/* binding */ notifyFailure)
/* harmony export */ });
/* unused harmony export failureEvent */
/* harmony import */ var _index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3651);

/** The event a failed step of each action sends (the notify-on names users write). */
function failureEvent(action) {
    if (action === 'backup-db')
        return 'backup-failed';
    if (['deploy', 'ssh-rsync-deploy', 'compose-deploy', 'paas-deploy', 'promote', 'run-release-phase'].includes(action))
        return 'deploy-failed';
    return `${action}-failed`;
}
/**
 * Called by runAction when a step fails: sends `failureEvent(action)` to the channels the action's `notify-*`
 * inputs name (none declared or set: nothing happens). Never throws — a notifier that fails, or notify inputs
 * that are wrong, become a warning; the step's own failure stays what the user sees. Returns summary markdown.
 */
async function notifyFailure(action, inputs, message, ctx, env = process.env) {
    const event = failureEvent(action);
    let cfg;
    try {
        cfg = (0,_index_js__WEBPACK_IMPORTED_MODULE_0__/* .readNotifyConfig */ .UW)(inputs, [event]);
    }
    catch (e) {
        ctx.warn(`no failure notification sent: ${e.message}`, 'notification failed');
        return '';
    }
    const link = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const results = await (0,_index_js__WEBPACK_IMPORTED_MODULE_0__/* .notifyAll */ .x9)(cfg, {
        event,
        severity: 'alert',
        title: `${action} failed${env.GITHUB_REPOSITORY ? ` in ${env.GITHUB_REPOSITORY}` : ''}`,
        text: message.split('\n').slice(0, 15).join('\n').slice(0, 2000),
        source: action,
        ...(env.GITHUB_REF_NAME ? { target: env.GITHUB_REF_NAME } : {}),
        ...(link ? { link } : {}),
    }, 
    // A cancelled job still reports why it stopped: not tied to the run's signal, bounded by notify-timeout.
    { warn: ctx.warn });
    return (0,_index_js__WEBPACK_IMPORTED_MODULE_0__/* .notifySummary */ .QB)(results.length ? [{ event, results }] : []);
}


/***/ })

};
