import type { RunContext } from '../context.js';
import type { Inputs } from '../inputs.js';
import { notifyAll, notifySummary, readNotifyConfig } from './index.js';

/** The event a failed step of each action sends (the notify-on names users write). */
export function failureEvent(action: string): string {
  if (action === 'backup-db') return 'backup-failed';
  if (['deploy', 'ssh-rsync-deploy', 'compose-deploy', 'paas-deploy', 'promote', 'run-release-phase'].includes(action))
    return 'deploy-failed';
  return `${action}-failed`;
}

/**
 * Called by runAction when a step fails: sends `failureEvent(action)` to the channels the action's `notify-*`
 * inputs name (none declared or set: nothing happens). Never throws — a notifier that fails, or notify inputs
 * that are wrong, become a warning; the step's own failure stays what the user sees. Returns summary markdown.
 */
export async function notifyFailure(
  action: string,
  inputs: Inputs,
  message: string,
  ctx: Pick<RunContext, 'warn'> & { signal?: AbortSignal },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const event = failureEvent(action);
  let cfg;
  try {
    cfg = readNotifyConfig(inputs, [event]);
  } catch (e) {
    ctx.warn(`no failure notification sent: ${(e as Error).message}`, 'notification failed');
    return '';
  }
  const link =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const results = await notifyAll(
    cfg,
    {
      event,
      severity: 'alert',
      title: `${action} failed${env.GITHUB_REPOSITORY ? ` in ${env.GITHUB_REPOSITORY}` : ''}`,
      text: message.split('\n').slice(0, 15).join('\n').slice(0, 2000),
      source: action,
      ...(env.GITHUB_REF_NAME ? { target: env.GITHUB_REF_NAME } : {}),
      ...(link ? { link } : {}),
    },
    // A cancelled job still reports why it stopped: not tied to the run's signal, bounded by notify-timeout.
    { warn: ctx.warn },
  );
  return notifySummary(results.length ? [{ event, results }] : []);
}
