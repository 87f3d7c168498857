/**
 * The local workflow runner against small workflows: each behaviour has a case that fails without it.
 * Steps are real bash processes and a real (tiny) JavaScript action in a temp workspace.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorkflow, type WorkflowRunOptions } from '../../src/runner/workflow/engine.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const base = mkdtempSync(join(tmpdir(), 'wf-runner-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** A fresh workspace holding the workflow (and any extra files); returns the run's options. */
function workspace(
  workflow: string,
  files: Record<string, string> = {},
): Pick<WorkflowRunOptions, 'workspace' | 'file'> {
  const ws = join(base, `ws${++n}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(ws, p, '..'), { recursive: true });
    writeFileSync(join(ws, p), c);
  }
  const file = join(ws, '.github', 'workflows', 'w.yml');
  writeFileSync(file, workflow);
  return { workspace: ws, file };
}

function run(w: Pick<WorkflowRunOptions, 'workspace' | 'file'>, extra: Partial<WorkflowRunOptions> = {}) {
  return runWorkflow({
    root: ROOT,
    event: 'workflow_dispatch',
    node: NODE24,
    stateDir: join(base, 'state'),
    ...w,
    ...extra,
  });
}

const job = (r: Awaited<ReturnType<typeof run>>, id: string) => {
  const j = r.jobs.find((x) => x.id === id);
  if (!j) throw new Error(`no job ${id} in ${r.jobs.map((x) => x.id).join(', ')}`);
  return j;
};

describe('workflow runner: needs, if, outputs', () => {
  it('runs jobs in needs order, passes outputs, skips after a failure unless always()/failure()', async () => {
    const w = workspace(`on: workflow_dispatch
jobs:
  late:
    needs: [first]
    runs-on: ubuntu-latest
    steps:
      - run: echo "late saw \${{ needs.first.outputs.word }}" >> "$GITHUB_WORKSPACE/order"
  first:
    runs-on: ubuntu-latest
    outputs:
      word: \${{ steps.say.outputs.word }}
    steps:
      - id: say
        run: |
          echo first >> "$GITHUB_WORKSPACE/order"
          echo "word=hello" >> "$GITHUB_OUTPUT"
  broken:
    needs: first
    runs-on: ubuntu-latest
    steps:
      - run: exit 3
      - run: echo never >> "$GITHUB_WORKSPACE/order"
      - if: failure()
        run: echo "step failure() ran" >> "$GITHUB_WORKSPACE/order"
  after-broken:
    needs: broken
    runs-on: ubuntu-latest
    steps:
      - run: echo "after-broken ran" >> "$GITHUB_WORKSPACE/order"
  on-failure:
    needs: after-broken
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo "on-failure ran" >> "$GITHUB_WORKSPACE/order"
  report:
    needs: [first, broken]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "report \${{ needs.broken.result }} \${{ needs.first.result }}" >> "$GITHUB_WORKSPACE/order"
`);
    const r = await run(w);
    expect(r.conclusion).toBe('failure');
    expect(readFileSync(join(w.workspace!, 'order'), 'utf8').trim().split('\n')).toEqual([
      'first',
      'late saw hello',
      'step failure() ran',
      'on-failure ran',
      'report failure success',
    ]);
    expect(job(r, 'first').outputs).toEqual({ word: 'hello' });
    expect(job(r, 'broken').result).toBe('failure');
    expect(job(r, 'broken').steps.map((s) => s.outcome)).toEqual(['failure', 'skipped', 'success']);
    expect(job(r, 'after-broken').result).toBe('skipped');
    expect(job(r, 'on-failure').result).toBe('success');
  });

  it('a job whose need was skipped is skipped; continue-on-error keeps the job green', async () => {
    const w = workspace(`on: workflow_dispatch
jobs:
  maybe:
    if: false
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  next:
    needs: maybe
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  tolerant:
    runs-on: ubuntu-latest
    steps:
      - id: flaky
        continue-on-error: true
        run: exit 1
      - run: echo "\${{ steps.flaky.outcome }}/\${{ steps.flaky.conclusion }}" > "$GITHUB_WORKSPACE/coe"
`);
    const r = await run(w);
    expect(job(r, 'maybe').result).toBe('skipped');
    expect(job(r, 'next').result).toBe('skipped');
    expect(job(r, 'tolerant').result).toBe('success');
    expect(readFileSync(join(w.workspace!, 'coe'), 'utf8').trim()).toBe('failure/success');
    expect(r.conclusion).toBe('success');
  });
});

describe('workflow runner: env, inputs, vars, secrets, masking, workflow commands', () => {
  it('layers env (workflow < job < step, GITHUB_ENV), types inputs, reads vars and masks secrets', async () => {
    const w = workspace(`on:
  workflow_dispatch:
    inputs:
      dry:
        type: boolean
        default: false
      level:
        type: choice
        options: [low, high]
        required: true
env:
  A: workflow
  B: workflow
jobs:
  one:
    runs-on: ubuntu-latest
    env:
      B: job
    outputs:
      leaked: \${{ steps.s.outputs.leak }}
      fine: \${{ steps.s.outputs.fine }}
    steps:
      - run: echo "C=from-github-env" >> "$GITHUB_ENV"
      - id: s
        env:
          TOKEN: \${{ secrets.API_TOKEN }}
        run: |
          echo "$A $B $C dry=\${{ inputs.dry }} not=\${{ !inputs.dry }} level=\${{ inputs.level }} region=\${{ vars.REGION }}" > "$GITHUB_WORKSPACE/env"
          echo "token is $TOKEN"
          echo "::add-mask::dynamic-value-42"
          echo "later dynamic-value-42"
          echo "::stop-commands::tok123"
          echo "::add-mask::inside-stop"
          echo "::tok123::"
          echo "after inside-stop"
          echo "::error::went wrong with $TOKEN"
          echo "leak=$TOKEN" >> "$GITHUB_OUTPUT"
          echo "fine=ok" >> "$GITHUB_OUTPUT"
`);
    const secret = 's3cr3t-Value-xyz';
    const r = await run(w, {
      inputs: { dry: 'true', level: 'high' },
      vars: { REGION: 'eu' },
      secrets: { API_TOKEN: secret },
    });
    expect(r.conclusion).toBe('success');
    expect(readFileSync(join(w.workspace!, 'env'), 'utf8').trim()).toBe(
      'workflow job from-github-env dry=true not=false level=high region=eu',
    );
    expect(r.log).not.toContain(secret);
    expect(r.log).toContain('token is ***');
    // Masked from the moment the step registers it (the script itself was echoed before).
    expect(r.log).not.toContain('    later dynamic-value-42');
    expect(r.log).toContain('    later ***');
    // Inside stop-commands the add-mask line is shown, not acted on.
    expect(r.log).toContain('::add-mask::inside-stop');
    expect(r.log).toContain('after inside-stop');
    expect(r.annotations).toEqual([expect.objectContaining({ level: 'error', message: 'went wrong with ***' })]);
    expect(job(r, 'one').outputs).toEqual({ fine: 'ok' });
    expect(r.log).toContain('output leaked of one holds a secret');
  });

  it('applies defaults.run (workflow, then job) to run: steps: working directory and shell', async () => {
    const w = workspace(
      `on: push
defaults:
  run:
    working-directory: sub
    shell: sh
jobs:
  wf-defaults:
    runs-on: ubuntu-latest
    steps:
      - run: pwd > "$GITHUB_WORKSPACE/pwd-wf"; echo "bash=$BASH_VERSION" > "$GITHUB_WORKSPACE/shell-wf"
  job-defaults:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: other
        shell: bash
    steps:
      - run: pwd > "$GITHUB_WORKSPACE/pwd-job"; echo "$BASH_VERSION" > "$GITHUB_WORKSPACE/bash-job"
`,
      { 'sub/.keep': '', 'other/.keep': '' },
    );
    const r = await run(w, { event: 'push' });
    expect(r.conclusion, r.log).toBe('success');
    expect(readFileSync(join(w.workspace!, 'pwd-wf'), 'utf8').trim()).toBe(join(w.workspace!, 'sub'));
    expect(readFileSync(join(w.workspace!, 'shell-wf'), 'utf8').trim()).toBe('bash='); // sh, not bash
    expect(readFileSync(join(w.workspace!, 'pwd-job'), 'utf8').trim()).toBe(join(w.workspace!, 'other'));
    expect(readFileSync(join(w.workspace!, 'bash-job'), 'utf8').trim()).not.toBe('');
  });

  it('refuses undefined, missing and mistyped inputs naming them', async () => {
    const w = workspace(`on:
  workflow_dispatch:
    inputs:
      level: { type: choice, options: [low, high], required: true }
jobs:
  a: { runs-on: x, steps: [{ run: 'true' }] }
`);
    await expect(run(w)).rejects.toThrow(/input "level" is required \(pass --input level=…\)/);
    await expect(run(w, { inputs: { level: 'mid' } })).rejects.toThrow(/must be one of low, high, got "mid"/);
    await expect(run(w, { inputs: { level: 'low', other: '1' } })).rejects.toThrow(/"other" is not defined/);
    await expect(run(w, { event: 'push' })).rejects.toThrow(/does not run on push/);
  });
});

describe('workflow runner: actions', () => {
  const action = {
    'act/action.yml': `name: t
description: t
inputs:
  repo:
    description: r
    default: \${{ github.repository }}
  word:
    description: w
    required: true
outputs:
  got: { description: g }
runs:
  using: node24
  main: main.mjs
  post: post.mjs
`,
    'act/main.mjs': `import { appendFileSync } from 'node:fs';
appendFileSync(process.env.GITHUB_OUTPUT, 'got=' + process.env['INPUT_REPO'] + ':' + process.env['INPUT_WORD'] + '\\n');
appendFileSync(process.env.GITHUB_STATE, 'marker=from-main\\n');
appendFileSync(process.env.GITHUB_WORKSPACE + '/order', 'main\\n');
// Streamed output between stop-commands markers must not reach the post step's state.
console.log('::stop-commands::tok-9');
console.log('::save-state name=marker::forged');
console.log('::tok-9::');
console.log('::set-output name=legacy::still-honoured');
`,
    'act/post.mjs': `import { appendFileSync } from 'node:fs';
appendFileSync(process.env.GITHUB_WORKSPACE + '/order', 'post ' + process.env.STATE_marker + '\\n');
`,
  };

  it('evaluates action.yml defaults from the github context and runs post steps at the end of the job', async () => {
    const w = workspace(
      `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: t
        uses: ./act
        with: { word: hi }
      - run: echo "next \${{ steps.t.outputs.got }} \${{ steps.t.outputs.legacy }}" >> order
`,
      action,
    );
    const r = await run(w, { event: 'push', env: { GITHUB_REPOSITORY: 'acme/app' } });
    expect(r.conclusion).toBe('success');
    expect(readFileSync(join(w.workspace!, 'order'), 'utf8').trim().split('\n')).toEqual([
      'main',
      'next acme/app:hi still-honoured',
      'post from-main',
    ]);
    expect(r.log).toContain('actions/checkout (emulated)');
  });

  it('fails a step with an action it cannot run, a missing required input or an unknown input', async () => {
    const w = workspace(
      `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
      - if: always()
        uses: ./act
      - if: always()
        uses: ./act
        with: { word: x, wrod: y }
      - if: always()
        uses: org/deploy-kit/actions/health-gate@v1
        with: { urls: x }
`,
      action,
    );
    const r = await run(w, { event: 'push' });
    const msgs = job(r, 'a').steps.map((s) => s.message);
    expect(msgs[0]).toMatch(/docker\/build-push-action@v6 is a third-party action the local runner cannot run/);
    expect(msgs[1]).toMatch(/input "word" is required/);
    expect(msgs[2]).toMatch(/has no input "wrod"/);
    expect(msgs[3]).toMatch(/has no input "urls"/);
    expect(r.conclusion).toBe('failure');
  });
});

describe('workflow runner: emulated artifacts', () => {
  it('upload-artifact in one job, download-artifact in the next; unknown inputs refused', async () => {
    const w = workspace(`on: push
jobs:
  make:
    runs-on: ubuntu-latest
    steps:
      - run: mkdir -p out && echo built > out/app.txt
      - uses: actions/upload-artifact@v4
        with: { name: bundle, path: out }
  use:
    needs: make
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with: { name: bundle, path: fetched }
      - run: cat fetched/out/app.txt > got
      - if: always()
        uses: actions/upload-artifact@v4
        with: { name: x, path: got, compression-level: 9 }
`);
    const r = await run(w, { event: 'push' });
    expect(readFileSync(join(w.workspace!, 'got'), 'utf8').trim()).toBe('built');
    expect(job(r, 'use').steps[2]!.message).toMatch(/does not support input compression-level/);
  });
});

describe('workflow runner: reusable workflows', () => {
  it('calls ./ and <owner>/deploy-kit/ workflows with inputs, secrets and outputs', async () => {
    const called = `on:
  workflow_call:
    inputs:
      who: { type: string, required: true }
      times: { type: number, default: 2 }
    secrets:
      key: { required: true }
    outputs:
      said: { value: '\${{ jobs.say.outputs.said }}' }
jobs:
  say:
    runs-on: ubuntu-latest
    outputs:
      said: \${{ steps.s.outputs.said }}
    steps:
      - id: s
        env: { KEY: '\${{ secrets.key }}' }
        run: |
          echo "said=\${{ inputs.who }}x\${{ inputs.times }}" >> "$GITHUB_OUTPUT"
          echo "key=$KEY"
`;
    const fakeRoot = join(base, 'fake-root');
    mkdirSync(join(fakeRoot, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(fakeRoot, '.github', 'workflows', 'lib.yml'), called);
    const w = workspace(
      `on: push
jobs:
  local:
    uses: ./.github/workflows/called.yml
    with: { who: alice }
    secrets: { key: '\${{ secrets.TOP }}' }
  remote:
    needs: local
    uses: acme/deploy-kit/.github/workflows/lib.yml@v1
    with: { who: '\${{ needs.local.outputs.said }}', times: 3 }
    secrets: inherit
  missing:
    uses: ./.github/workflows/called.yml
    with: { who: bob }
  use:
    needs: remote
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.remote.outputs.said }}" > "$GITHUB_WORKSPACE/said"
`,
      { '.github/workflows/called.yml': called },
    );
    const r = await run(w, { root: fakeRoot, event: 'push', secrets: { TOP: 'topsecret-1', key: 'inherited-2' } });
    expect(job(r, 'local/say').result).toBe('success');
    expect(job(r, 'local').outputs).toEqual({ said: 'alicex2' });
    expect(readFileSync(join(w.workspace!, 'said'), 'utf8').trim()).toBe('alicex2x3');
    expect(job(r, 'missing').result).toBe('failure');
    expect(job(r, 'missing').message).toMatch(/secret "key" of .*called.yml is required/);
    expect(r.log).toContain('key=***');
    expect(r.log).not.toContain('topsecret-1');
    expect(r.log).not.toContain('inherited-2');
  });

  it('refuses a reusable workflow from another repository, naming what it maps', async () => {
    const w = workspace(`on: push
jobs:
  x:
    uses: someone/else/.github/workflows/a.yml@v1
`);
    const r = await run(w, { event: 'push' });
    expect(job(r, 'x').message).toMatch(/not in this checkout: the local runner runs \.\/\.github\/workflows/);
  });
});

describe('workflow runner: environments, timeouts, cancellation, concurrency', () => {
  it('a job with an environment needs an approval; approved, it gets that environment secrets', async () => {
    const w = workspace(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo "\${{ secrets.KEY }}" > "$GITHUB_WORKSPACE/key"
`);
    const refused = await run(w, { event: 'push', secrets: { KEY: 'repo-key' } });
    expect(job(refused, 'deploy').message).toMatch(/needs an approval: pass --approve production/);
    expect(existsSync(join(w.workspace!, 'key'))).toBe(false);
    const approved = await run(w, {
      event: 'push',
      approve: ['production'],
      secrets: { KEY: 'repo-key' },
      environmentSecrets: { production: { KEY: 'prod-key' } },
    });
    expect(job(approved, 'deploy').result).toBe('success');
    expect(readFileSync(join(w.workspace!, 'key'), 'utf8').trim()).toBe('prod-key');
    const denied = await run(w, { event: 'push', prompt: async () => false });
    expect(job(denied, 'deploy').message).toMatch(/was not approved/);
  });

  it('stops a step at its timeout-minutes and a job at its own; always() steps still run', async () => {
    const w = workspace(`on: push
jobs:
  step-timeout:
    runs-on: ubuntu-latest
    steps:
      - timeout-minutes: 0.02
        run: echo started >> "$GITHUB_WORKSPACE/t"; sleep 120; echo finished >> "$GITHUB_WORKSPACE/t"
      - if: always()
        run: echo cleanup >> "$GITHUB_WORKSPACE/t"
  job-timeout:
    runs-on: ubuntu-latest
    timeout-minutes: 0.02
    steps:
      - run: sleep 120
`);
    const r = await run(w, { event: 'push' });
    expect(readFileSync(join(w.workspace!, 't'), 'utf8').trim().split('\n')).toEqual(['started', 'cleanup']);
    expect(job(r, 'step-timeout').steps[0]!.message).toMatch(/exceeded the step's timeout-minutes \(0.02\)/);
    expect(job(r, 'job-timeout').result).toBe('failure');
    expect(job(r, 'job-timeout').message).toMatch(/exceeded timeout-minutes \(0.02\)/);
  });

  it('cancelling stops the running step; cancelled() and always() steps run, the rest is skipped', async () => {
    const w = workspace(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo READY-TO-CANCEL; sleep 120
      - run: echo default >> "$GITHUB_WORKSPACE/c"
      - if: cancelled()
        run: echo cancelled >> "$GITHUB_WORKSPACE/c"
      - if: always()
        run: echo always >> "$GITHUB_WORKSPACE/c"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps: [{ run: 'echo b >> "$GITHUB_WORKSPACE/c"' }]
`);
    const abort = new AbortController();
    const r = await run(w, {
      event: 'push',
      signal: abort.signal,
      write: (t) => {
        if (t.startsWith('    READY-TO-CANCEL')) abort.abort();
      },
    });
    expect(r.conclusion).toBe('cancelled');
    expect(readFileSync(join(w.workspace!, 'c'), 'utf8').trim().split('\n')).toEqual(['cancelled', 'always']);
    expect(job(r, 'a').result).toBe('cancelled');
    expect(job(r, 'b').result).toBe('skipped');
  });

  it('a concurrency group makes a second run wait until the first is done', async () => {
    const wfText = (who: string) => `on: push
concurrency: group-\${{ github.repository }}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo ${who}-start >> "${base}/conc-log"
          for i in $(seq 600); do [ -e "${base}/conc-release" ] && break; sleep 0.1; done
          echo ${who}-end >> "${base}/conc-log"
`;
    const first = workspace(wfText('A'));
    const second = workspace(wfText('B'));
    const env = { GITHUB_REPOSITORY: 'acme/same' };
    let resolveStarted!: () => void;
    const started = new Promise<void>((r) => (resolveStarted = r));
    const a = run(first, { event: 'push', env, write: (t) => t.includes('▸') && resolveStarted() });
    await started;
    let resolveWaiting!: () => void;
    const waiting = new Promise<void>((r) => (resolveWaiting = r));
    const b = run(second, {
      event: 'push',
      env,
      write: (t) => t.includes('waiting for concurrency group') && resolveWaiting(),
    });
    await waiting;
    writeFileSync(join(base, 'conc-release'), '');
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.conclusion, rb.conclusion]).toEqual(['success', 'success']);
    expect(readFileSync(join(base, 'conc-log'), 'utf8').trim().split('\n')).toEqual([
      'A-start',
      'A-end',
      'B-start',
      'B-end',
    ]);
  });

  it('cancel-in-progress cancels the run holding the group', async () => {
    const wfText = (who: string) => `on: push
concurrency:
  group: cip
  cancel-in-progress: true
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${who}-start | tee -a "${base}/cip-log"; sleep 120
      - if: always()
        run: echo ${who}-\${{ job.status }} >> "${base}/cip-log"
`;
    const first = workspace(wfText('A'));
    const second = workspace(wfText('B').replace('sleep 120', 'true'));
    let resolveStarted!: () => void;
    const started = new Promise<void>((r) => (resolveStarted = r));
    const a = run(first, { event: 'push', write: (t) => t.startsWith('    A-start') && resolveStarted() });
    await started;
    const rb = await run(second, { event: 'push' });
    const ra = await a;
    expect(ra.conclusion).toBe('cancelled');
    expect(rb.conclusion).toBe('success');
    expect(readFileSync(join(base, 'cip-log'), 'utf8').trim().split('\n')).toEqual([
      'A-start',
      'A-cancelled',
      'B-start',
      'B-success',
    ]);
  });
});
