/**
 * The maintenance menu end to end: the maintenance-dispatch and monitor bundles run as the runner runs them,
 * against a real Docker Engine with docker-compose v1 and a real nginx (Debian's, on the host) in front of
 * the compose app. The GitHub Issues API is a local stand-in (GitHub cannot run here) whose shapes are
 * checked against GitHub's published OpenAPI description.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxImage, startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { freePort, waitForPort } from '../fixtures/ports.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync('/tmp/dk-menu-');
const site = join(work, 'site');
let d: Dockerd;
let gh: IssuesStandIn;
let nginx: ChildProcess;
let nginxUrl = '';
let appPort = 0;
const V1 = 'dk-app:v1';
const V2 = 'dk-app:v2';

const compose = (...args: string[]) =>
  execFileSync('docker-compose', ['-p', 'dkmenu', ...args], {
    cwd: site,
    env: { ...process.env, DOCKER_HOST: d.host },
    stdio: 'pipe',
  }).toString();

async function get(path = '/'): Promise<{ status: number; body: string }> {
  const res = await fetch(nginxUrl + path, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

/** What compose-deploy leaves on the host: two releases, r2 live. */
function seedReleases(): void {
  mkdirSync(join(site, '.deploy-kit', 'images'), { recursive: true });
  writeFileSync(join(site, '.deploy-kit', 'images', 'r1'), `${V1}\n`);
  writeFileSync(join(site, '.deploy-kit', 'images', 'r2'), `${V2}\n`);
  writeFileSync(
    join(site, '.deploy-kit', 'releases.jsonl'),
    [
      { event: 'activate', id: 'r1', at: '2026-11-29T10:00:00Z', how: 'deploy' },
      { event: 'activate', id: 'r2', at: '2026-11-30T10:00:00Z', from: 'r1', how: 'deploy' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  writeFileSync(join(site, '.env'), `# pinned by the deploy\nAPP_IMAGE=${V2}\nOTHER=kept\n`);
}

beforeAll(async () => {
  [d, gh] = await Promise.all([startDockerd(), startIssuesStandIn()]);
  busyboxImage(d, 'dk-busybox:test');
  // Two releases with different image ids (a label each), as two builds would be.
  for (const [tag, v] of [
    [V1, '1'],
    [V2, '2'],
  ] as const) {
    const ctx = join(work, `img${v}`);
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), `FROM dk-busybox:test\nLABEL release=${v}\n`);
    d.docker('build', '-q', '-t', tag, ctx);
  }
  appPort = await freePort();
  mkdirSync(site);
  const bb = '/bin/busybox';
  writeFileSync(
    join(site, 'docker-compose.yml'),
    [
      'version: "3"',
      'services:',
      '  web:',
      '    image: ${APP_IMAGE}',
      '    network_mode: host',
      '    environment:',
      '      APP_IMAGE: ${APP_IMAGE}',
      `    command: ["sh", "-c", "${bb} mkdir -p /tmp/w && echo release $$APP_IMAGE > /tmp/w/index.html && exec ${bb} httpd -f -p 127.0.0.1:${appPort} -h /tmp/w"]`,
    ].join('\n') + '\n',
  );
  seedReleases();
  compose('up', '-d');
  await waitForPort(appPort, 30_000);

  const ng = join(work, 'nginx');
  mkdirSync(ng);
  const port = await freePort();
  const m = join(site, '.deploy-kit', 'maintenance');
  writeFileSync(
    join(ng, 'nginx.conf'),
    `user root;
worker_processes 1;
daemon off;
pid ${ng}/nginx.pid;
error_log ${ng}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${ng}/body; proxy_temp_path ${ng}/proxy; fastcgi_temp_path ${ng}/fcgi;
  uwsgi_temp_path ${ng}/uwsgi; scgi_temp_path ${ng}/scgi;
  server {
    listen 127.0.0.1:${port};
    error_page 503 @maintenance;
    location @maintenance { root ${m}; rewrite ^ /index.html break; }
    location / {
      if (-f ${m}/on) { return 503; }
      proxy_pass http://127.0.0.1:${appPort};
    }
  }
}
`,
  );
  nginx = spawn('/usr/sbin/nginx', ['-c', join(ng, 'nginx.conf'), '-p', ng], { stdio: 'ignore' });
  await waitForPort(port, 15_000);
  nginxUrl = `http://127.0.0.1:${port}`;
}, 240_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((r) => nginx.once('exit', r));
    nginx.kill('SIGQUIT');
    await gone;
  }
  try {
    compose('down', '-t', '1');
  } catch {
    // engine gone
  }
  await gh?.close();
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const menu = (command: string, extra: Record<string, string> = {}) =>
  runDist(
    'maintenance-dispatch',
    { command, 'run-on': 'local', path: site, 'project-name': 'dkmenu', 'lock-timeout': '1s', ...extra },
    { env: { DOCKER_HOST: d.host } },
  );
const monitor = (extra: Record<string, string> = {}) =>
  runDist(
    'monitor',
    {
      'github-token': gh.token,
      url: `${nginxUrl}/`,
      deadline: '300ms',
      period: '100ms',
      'run-on': 'local',
      path: site,
      'project-name': 'dkmenu',
      'check-logs': 'false',
      'failures-to-open': '1',
      ...extra,
    },
    { env: { DOCKER_HOST: d.host, GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: gh.repository } },
  );
const webImage = () => d.docker('inspect', '-f', '{{.Config.Image}} {{.State.Status}}', 'dkmenu_web_1').trim();

describe('maintenance menu against a real Docker Engine and nginx (e2e)', () => {
  it('the app serves through nginx', async () => {
    expect(await get()).toEqual({ status: 200, body: `release ${V2}\n` });
  });

  it('maintenance-on: nginx answers 503 with the page; the monitor opens nothing; maintenance-off brings the app back', async () => {
    const on = await menu('maintenance-on', {
      'maintenance-duration': '30m',
      'maintenance-message': 'Database upgrade <b>',
    });
    expect(on.exitCode, on.stdout + on.stderr).toBe(0);
    const until = (JSON.parse(on.outputs.details!) as Array<{ until: string }>)[0]!.until;
    expect(Date.parse(until)).toBeGreaterThan(Date.now() + 25 * 60_000);
    const page = await get('/any/path');
    expect(page.status).toBe(503);
    expect(page.body).toContain('Database upgrade &lt;b&gt;');
    expect(page.body).toContain(until);
    expect(existsSync(join(site, '.deploy-kit', 'lock'))).toBe(false);

    const mon = await monitor();
    expect(mon.exitCode, mon.stdout).toBe(0);
    expect(mon.outputs).toMatchObject({ state: 'maintenance', incident: '', healed: 'false' });
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    const off = await menu('maintenance-off');
    expect(off.exitCode, off.stdout).toBe(0);
    expect(await get()).toEqual({ status: 200, body: `release ${V2}\n` });
    expect((await monitor()).outputs.state).toBe('up');
  });

  it('an expired window: the monitor counts again, switches the page off and says so', async () => {
    const on = await menu('maintenance-on', { 'maintenance-duration': '1m' });
    expect(on.exitCode).toBe(0);
    const sw = join(site, '.deploy-kit', 'maintenance', 'on');
    const w = JSON.parse(readFileSync(sw, 'utf8')) as { until: string };
    writeFileSync(sw, JSON.stringify({ ...w, until: new Date(Date.now() - 1000).toISOString() }));
    expect((await get()).status).toBe(503);
    const mon = await monitor();
    expect(mon.outputs.state).toBe('up');
    expect(mon.annotations.join('\n')).toContain('the monitor switched the maintenance page off');
    expect(existsSync(sw)).toBe(false);
    expect((await get()).status).toBe(200);
  });

  it('a deploy holding the lock: maintenance-on waits lock-timeout, fails, and writes no switch', async () => {
    mkdirSync(join(site, '.deploy-kit', 'lock'));
    writeFileSync(join(site, '.deploy-kit', 'lock', 'owner'), 'deploy run 7\n');
    try {
      const run = await menu('maintenance-on');
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toMatch(/locked by another deploy \(deploy run 7/);
      expect(existsSync(join(site, '.deploy-kit', 'maintenance', 'on'))).toBe(false);
      expect((await get()).status).toBe(200);
    } finally {
      rmSync(join(site, '.deploy-kit', 'lock'), { recursive: true, force: true });
    }
  });

  it('the compose operations that change something take the lock too: restart-all waits, fails, restarts nothing; status still reads', async () => {
    mkdirSync(join(site, '.deploy-kit', 'lock'));
    writeFileSync(join(site, '.deploy-kit', 'lock', 'owner'), 'deploy run 8\n');
    const started = d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkmenu_web_1');
    try {
      const run = await menu('restart-all');
      expect(run.exitCode).toBe(1);
      expect(run.outputs.result).toBe('failed');
      expect(run.annotations.join('\n')).toMatch(/locked by another deploy \(deploy run 8/);
      expect(d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkmenu_web_1')).toBe(started);
      const status = await menu('status');
      expect(status.exitCode, status.stdout).toBe(0);
      expect(readFileSync(join(site, '.deploy-kit', 'lock', 'owner'), 'utf8')).toBe('deploy run 8\n');
    } finally {
      rmSync(join(site, '.deploy-kit', 'lock'), { recursive: true, force: true });
    }
  });

  it('exec runs an allow-listed command in the service; anything else is refused before it runs', async () => {
    const allow = '/bin/busybox echo hello-from-exec\n/bin/busybox cat /tmp/w/index.html';
    const ok = await menu('exec', { 'exec-allow': allow, 'exec-command': '/bin/busybox echo hello-from-exec' });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.outputs.output).toContain('hello-from-exec');

    const bad = await menu('exec', { 'exec-allow': allow, 'exec-command': '/bin/busybox touch /tmp/pwned' });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.join('\n')).toContain(
      '`exec-command`: "/bin/busybox touch /tmp/pwned" is not in exec-allow',
    );
    expect(() => d.docker('exec', 'dkmenu_web_1', '/bin/busybox', 'test', '-e', '/tmp/pwned')).toThrow();
  });

  it('rollback needs confirm; then goes to the release live before, marks the current one bad, serves it', async () => {
    const refused = await menu('rollback');
    expect(refused.exitCode).toBe(1);
    expect(refused.annotations.join('\n')).toContain('set confirm to exactly "rollback"');
    expect(readFileSync(join(site, '.env'), 'utf8')).toContain(`APP_IMAGE=${V2}`);
    expect(webImage()).toBe(`${V2} running`);

    const run = await menu('rollback', { confirm: 'rollback' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.details!)).toEqual([{ host: 'local', from: 'r2', to: 'r1', image: V1 }]);
    expect(readFileSync(join(site, '.env'), 'utf8')).toBe(`# pinned by the deploy\nAPP_IMAGE=${V1}\nOTHER=kept\n`);
    expect(webImage()).toBe(`${V1} running`);
    await waitForPort(appPort, 30_000);
    expect(await get()).toEqual({ status: 200, body: `release ${V1}\n` });
    const history = readFileSync(join(site, '.deploy-kit', 'releases.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(history.slice(-2)).toEqual([
      expect.objectContaining({ event: 'bad', id: 'r2', reason: 'rolled back by maintenance-dispatch' }),
      expect.objectContaining({ event: 'activate', id: 'r1', from: 'r2', how: 'rollback', image: V1 }),
    ]);

    // r2 is bad and r1 is live: nothing earlier to go to, and nothing changes.
    const again = await menu('rollback', { confirm: 'rollback' });
    expect(again.exitCode).toBe(1);
    expect(again.annotations.join('\n')).toContain('no earlier good release');
    expect(webImage()).toBe(`${V1} running`);
  });

  it('status and heal report a project with zero containers as down', async () => {
    const status = await menu('status', { 'project-name': 'nothing' });
    expect(status.exitCode).toBe(1);
    expect(status.outputs.down).toBe('["(no containers)"]');
    const heal = await menu('heal', { 'project-name': 'nothing' });
    expect(heal.exitCode).toBe(1);
    expect(heal.outputs.result).toBe('failed');
    expect(heal.annotations.join('\n')).toContain('the compose project has no containers');
  });

  it("GitHub's shapes held for every call the monitor made", () => {
    expect(gh.schemaErrors).toEqual([]);
  });
});
