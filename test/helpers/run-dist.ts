import { runBundledAction, type ActionRun, type RunActionOptions } from '../../src/runner/run-action.js';
import { NODE24, ROOT } from './paths.js';

/** Runs dist/<action>/index.js under Node 24 exactly as the runner would. */
export function runDist(
  action: string,
  inputs: Record<string, string>,
  extra: Partial<RunActionOptions> = {},
): Promise<ActionRun> {
  return runBundledAction({ root: ROOT, action, inputs, node: NODE24, timeoutMs: 300_000, ...extra });
}
