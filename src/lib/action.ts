import type { RunContext } from './context.js';
import { recordTempPathsWith } from './cleanup-state.js';
import { Inputs } from './inputs.js';
import { neutralize } from './output.js';
import { Redactor } from './redact.js';
import * as io from './workflow-io.js';

/** The run context (log, warn, signal) plus what only an action entry uses. */
export interface ActionContext extends RunContext {
  inputs: Inputs;
  redactor: Redactor;
  /** Masks a value from now on: in the runner's log (add-mask) and in everything this action prints. */
  addSecret: (value: string) => void;
  /** Records a value for the post step (STATE_<name> there). */
  saveState: (name: string, value: string) => void;
  setOutput: (name: string, value: string | number | boolean | object) => void;
  /** Appends markdown to the job summary (written once at the end, even on failure). */
  summary: (markdown: string) => void;
}

/**
 * The one entry wrapper: builds the context, runs the action, maps any error to a failed step with
 * a redacted message, writes the summary. Action entries stay small: inputs → core → outputs.
 */
export async function runAction(
  name: string,
  main: (ctx: ActionContext) => Promise<void>,
  /** notifyOnFailure (default true): a failed step notifies the channels of its `notify-*` inputs, if any. */
  opts: { notifyOnFailure?: boolean } = {},
): Promise<void> {
  const redactor = new Redactor();
  // Temp dirs made during the run are recorded in the state, so the post step can remove them after a kill.
  recordTempPathsWith((k, v) => io.saveState(k, v));
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    io.warning(`${name}: received ${sig}; cancelling and cleaning up`);
    controller.abort(new Error(`cancelled by ${sig}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const parts: string[] = [];
  const addSecret = (secret: string): void => {
    io.setSecret(secret);
    redactor.add(secret);
  };
  const ctx: ActionContext = {
    inputs: new Inputs((n) => io.getInput(n), addSecret),
    redactor,
    addSecret,
    signal: controller.signal,
    // Redacted, then neutralized: a line from a server or a child can never act as a workflow command.
    log: (line) => io.info(neutralize(redactor.redact(line))),
    warn: (message, title) => io.warning(redactor.redact(message), title),
    // Step outputs are files GitHub does not mask: every value is redacted with every secret the run knows
    // (strings inside an object before it is serialized, so escaping cannot hide one; the JSON again after).
    setOutput: (key, value) =>
      io.setOutput(
        key,
        redactor.redact(typeof value === 'object' ? JSON.stringify(redactor.redactDeep(value)) : String(value)),
      ),
    saveState: (key, value) => io.saveState(key, value),
    summary: (md) => parts.push(md),
  };
  try {
    await main(ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.setFailed(redactor.redact(message));
    if (err instanceof Error && err.stack && process.env.RUNNER_DEBUG === '1') {
      io.debug(redactor.redact(err.stack));
    }
    if (opts.notifyOnFailure !== false) {
      // Loaded only on this path: a step that succeeds never pays for the notifiers.
      const { notifyFailure } = await import('./notify/failure.js');
      parts.push(await notifyFailure(name, ctx.inputs, redactor.redact(message), ctx));
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (parts.length > 0 && process.env.GITHUB_STEP_SUMMARY) {
      try {
        io.appendSummary(redactor.redact(parts.join('\n')));
      } catch (e) {
        io.warning(`could not write the job summary: ${(e as Error).message}`);
      }
    }
  }
}
