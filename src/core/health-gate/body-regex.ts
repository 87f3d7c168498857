import type { Worker } from 'node:worker_threads';

/**
 * `expect-body-regex` runs in a worker thread, never on the main thread: JavaScript regexes backtrack, and a
 * pattern like `^(a+)+$` on a short body that does not match runs for minutes. The worker is terminated when
 * the attempt's time runs out (V8 stops a regex in progress on terminate), so the gate's deadline holds
 * whatever the pattern; the next check starts a fresh worker.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  let r;
  try {
    r = { id: m.id, matched: new RegExp(m.source, m.flags).test(m.body) };
  } catch (e) {
    r = { id: m.id, error: String((e && e.message) || e) };
  }
  parentPort.postMessage(r);
});
`;

/** How long a worker may take to start (it is not the pattern's time: that is bounded separately). */
const START_LIMIT_MS = 10_000;

export type BodyMatch = { matched: boolean } | { timedOut: true; limitMs: number };

export class BodyRegex {
  private worker?: Worker;
  private online?: Promise<Worker>;
  private seq = 0;

  constructor(readonly regex: RegExp) {}

  private start(): Promise<Worker> {
    if (this.online) return this.online;
    const { Worker: W } = process.getBuiltinModule('node:worker_threads');
    const w = new W(WORKER_SOURCE, { eval: true });
    w.unref();
    this.worker = w;
    this.online = new Promise<Worker>((resolve, reject) => {
      const t = setTimeout(() => {
        void w.terminate();
        reject(new Error(`the expect-body-regex worker did not start within ${START_LIMIT_MS} ms`));
      }, START_LIMIT_MS);
      w.once('online', () => {
        clearTimeout(t);
        resolve(w);
      });
      w.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
    this.online.catch(() => this.reset());
    return this.online;
  }

  private reset(): void {
    const w = this.worker;
    this.worker = undefined;
    this.online = undefined;
    if (w) void w.terminate();
  }

  /** Tests `body` against the pattern; gives up (and stops the worker) after `limitMs`. */
  async test(body: string, limitMs: number): Promise<BodyMatch> {
    const limit = Math.max(1, Math.floor(limitMs));
    const w = await this.start();
    const id = ++this.seq;
    return new Promise<BodyMatch>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (m: { id: number; matched?: boolean; error?: string }): void => {
        if (m.id !== id) return;
        done();
        if (m.error !== undefined) reject(new Error(`expect-body-regex: ${m.error}`));
        else resolve({ matched: !!m.matched });
      };
      const onError = (e: Error): void => {
        done();
        this.reset();
        reject(e);
      };
      const onExit = (): void => {
        done();
        this.reset();
        reject(new Error('the expect-body-regex worker stopped'));
      };
      const timer = setTimeout(() => {
        done();
        this.reset();
        resolve({ timedOut: true, limitMs: limit });
      }, limit);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ id, source: this.regex.source, flags: this.regex.flags, body });
    });
  }

  /** Stops the worker; safe to call more than once. */
  close(): void {
    this.reset();
  }
}
