/**
 * compose-deploy's swap pieces without an engine: the in-network HTTP probe (its constant script run for real
 * with sh against a local HTTP server, through curl, busybox wget and Python in turn), the address it targets,
 * `docker top` parsing for the proxy-reload check, and the probe inputs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HTTP_PROBE_SCRIPT,
  httpProbeCommand,
  inNetworkUrl,
  nginxWorkers,
  parseInspect,
  parseTop,
  PROBE_NO_CLIENT,
  type ContainerState,
} from '../../src/core/compose-deploy/builders.js';
import { readComposeDeployConfig } from '../../src/core/compose-deploy/config.js';
import { InputError } from '../../src/lib/errors.js';
import { Inputs } from '../../src/lib/inputs.js';

let server: Server;
let base = '';
const seen: string[] = [];
let bin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.statusCode = req.url?.startsWith('/ok') ? 200 : 503;
    res.end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  bin = mkdtempSync(join(tmpdir(), 'dk-probe-bin-'));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(bin, { recursive: true, force: true });
});

/** A PATH holding only `tools` (links to this machine's programs) and sh. */
function pathWith(name: string, tools: Record<string, string>): string {
  const dir = join(bin, name);
  mkdirSync(dir);
  symlinkSync('/bin/sh', join(dir, 'sh'));
  for (const [tool, target] of Object.entries(tools)) symlinkSync(target, join(dir, tool));
  return dir;
}

/** The probe script as `docker exec … sh -c SCRIPT deploy-kit-probe URL T` runs it, here on the runner (async: the server answers from this process). */
function probe(path: string, url: string): Promise<{ status: number | null; stderr: string }> {
  const cmd = httpProbeCommand('c0ffee', url, 5);
  const inner = cmd.argv.slice(cmd.argv.indexOf('sh') + 1);
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', inner, {
      env: { PATH: path },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 20_000,
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('in-network HTTP probe script', () => {
  it('argv: docker exec into the sending container, URL and time limit as positional parameters', () => {
    const url = `http://10.1.0.5:8000/healthz?x=$(id)`;
    const cmd = httpProbeCommand('abc123', url, 10);
    expect(cmd.argv.slice(0, 6)).toEqual(['docker', 'exec', 'abc123', 'sh', '-c', HTTP_PROBE_SCRIPT]);
    expect(cmd.argv.slice(6)).toEqual(['deploy-kit-probe', url, '10']);
    expect(HTTP_PROBE_SCRIPT).not.toContain('10.1.0.5');
  });

  for (const [name, tools] of [
    ['curl', { curl: '/usr/bin/curl' }],
    ['busybox wget + timeout', { wget: '/bin/busybox', timeout: '/bin/busybox' }],
    ['GNU wget', { wget: '/usr/bin/wget' }],
    ['python3', { python3: '/usr/bin/python3' }],
  ] as const) {
    it(`${name}: 0 on a 2xx answer, non-zero on a 503 and on a closed port`, async () => {
      const path = pathWith(name.replace(/\W/g, '-'), tools);
      seen.length = 0;
      expect((await probe(path, `${base}/ok-${name.length}`)).status).toBe(0);
      expect(seen).toEqual([`/ok-${name.length}`]);
      const bad = await probe(path, `${base}/sick`);
      expect(bad.status).not.toBe(0);
      expect(bad.status).not.toBe(PROBE_NO_CLIENT);
      expect(seen).toEqual([`/ok-${name.length}`, '/sick']);
      const closed = await probe(path, 'http://127.0.0.1:1/ok');
      expect(closed.status).not.toBe(0);
      expect(closed.status).not.toBe(PROBE_NO_CLIENT);
    });
  }

  it(`no client in the container: exit ${PROBE_NO_CLIENT} with a message (no request sent)`, async () => {
    seen.length = 0;
    const r = await probe(pathWith('none', {}), `${base}/ok`);
    expect(r.status).toBe(PROBE_NO_CLIENT);
    expect(r.stderr).toMatch(/deploy-kit probe: no curl, wget or python/);
    expect(seen).toEqual([]);
  });
});

const state = (networks: ContainerState['networks']): ContainerState => ({
  id: 'x',
  name: '/x',
  status: 'running',
  health: '',
  image: 'sha256:1',
  configImage: 'app',
  exitCode: 0,
  networks,
});

describe('the address the probe targets', () => {
  it('the new container on a network the sender shares (v4, else bracketed v6); none shared: undefined', () => {
    const web = state({ shop_default: { IPAddress: '10.5.0.7' }, other: { IPAddress: '10.6.0.2' } });
    const proxy = state({ shop_default: { IPAddress: '10.5.0.3' } });
    expect(inNetworkUrl(web, proxy, 8000, '/ping')).toBe('http://10.5.0.7:8000/ping');
    const v6 = state({ shop_default: { IPAddress: '', GlobalIPv6Address: 'fd00::7' } });
    expect(inNetworkUrl(v6, proxy, 80, '/')).toBe('http://[fd00::7]:80/');
    expect(inNetworkUrl(web, state({ elsewhere: { IPAddress: '10.9.0.2' } }), 8000, '/ping')).toBeUndefined();
    expect(inNetworkUrl(state(null), proxy, 8000, '/ping')).toBeUndefined();
  });

  it('parseInspect: state, health (none when the container has no healthcheck) and networks', () => {
    const withHealth =
      '{"id":"abc","name":"/shop_web_2","state":{"Status":"running","ExitCode":0,"Health":{"Status":"starting","FailingStreak":0}},"image":"sha256:1","configImage":"app","networks":{"shop_default":{"IPAddress":"10.5.0.7","GlobalIPv6Address":""}}}';
    const without =
      '{"id":"def","name":"/shop_web_3","state":{"Status":"exited","ExitCode":3},"image":"sha256:1","configImage":"app","networks":{}}';
    const [a, b] = parseInspect(`${withHealth}\n${without}\n`);
    expect(a).toMatchObject({ id: 'abc', status: 'running', health: 'starting', exitCode: 0 });
    expect(a!.networks).toEqual({ shop_default: { IPAddress: '10.5.0.7', GlobalIPv6Address: '' } });
    expect(b).toMatchObject({ id: 'def', status: 'exited', health: '', exitCode: 3, networks: {} });
  });
});

describe('docker top parsing (the proxy-reload check)', () => {
  const top = [
    'UID                 PID                 PPID                C                   STIME               TTY                 TIME                CMD',
    'root                4101                4080                0                   20:43               ?                   00:00:00            nginx: master process nginx -g daemon off;',
    'nobody              4160                4101                0                   20:44               ?                   00:00:00            nginx: worker process is shutting down',
    'nobody              4170                4101                0                   20:44               ?                   00:00:00            nginx: worker process',
  ].join('\n');

  it('pid and the whole command line; only workers that take connections count', () => {
    const procs = parseTop(top);
    expect(procs.map((p) => p.pid)).toEqual(['4101', '4160', '4170']);
    expect(procs[0]!.cmd).toBe('nginx: master process nginx -g daemon off;');
    expect(nginxWorkers(procs)).toEqual(['4170']);
  });

  it('not nginx (or no header): no workers to watch', () => {
    expect(nginxWorkers(parseTop('PID USER TIME COMMAND\n1 root 0:00 caddy run'))).toEqual([]);
    expect(parseTop('garbage')).toEqual([]);
  });
});

function cfg(extra: Record<string, string>) {
  const raw: Record<string, string> = { 'run-on': 'local', path: '/srv/shop', image: 'shop:1', ...extra };
  return readComposeDeployConfig(new Inputs((n) => raw[n] ?? ''), {});
}

function inputOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).input;
  }
  throw new Error('no error');
}

describe('probe inputs', () => {
  it('probe-path + probe-port; probe-from defaults to the proxy service', () => {
    expect(cfg({ 'probe-path': '/healthz', 'probe-port': '8000', 'proxy-service': 'nginx' }).httpProbe).toEqual({
      path: '/healthz',
      port: 8000,
      from: 'nginx',
    });
    expect(cfg({ 'probe-path': '/up?full=1', 'probe-port': '80', 'probe-from': 'edge' }).httpProbe).toEqual({
      path: '/up?full=1',
      port: 80,
      from: 'edge',
    });
    expect(cfg({}).httpProbe).toBeUndefined();
  });

  it('bad or missing values name their input', () => {
    expect(inputOf(() => cfg({ 'probe-path': 'healthz', 'probe-port': '8000', 'proxy-service': 'p' }))).toBe(
      'probe-path',
    );
    expect(inputOf(() => cfg({ 'probe-path': '/a b', 'probe-port': '8000', 'proxy-service': 'p' }))).toBe('probe-path');
    expect(inputOf(() => cfg({ 'probe-path': '/h', 'proxy-service': 'p' }))).toBe('probe-port');
    expect(inputOf(() => cfg({ 'probe-path': '/h', 'probe-port': '0', 'proxy-service': 'p' }))).toBe('probe-port');
    expect(inputOf(() => cfg({ 'probe-path': '/h', 'probe-port': '8000' }))).toBe('probe-from');
    expect(inputOf(() => cfg({ 'probe-path': '/h', 'probe-port': '8000', 'probe-from': '-x' }))).toBe('probe-from');
    expect(inputOf(() => cfg({ 'probe-port': '8000' }))).toBe('probe-port');
  });
});
