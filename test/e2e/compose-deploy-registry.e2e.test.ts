/**
 * compose-deploy pulling a private image: a real registry on 127.0.0.1 (Debian's docker-registry with htpasswd
 * auth, test/fixtures/registry.ts), a real bridged Docker Engine with docker-compose v1 (test/fixtures/
 * compose-mini.ts), the bundle run as the runner runs it (run-on local: the runner is the host, with its own
 * HOME and RUNNER_TEMP so that what the run leaves there is visible).
 *
 * - without credentials the pull is refused by the registry and nothing changes;
 * - with a wrong password the login fails naming registry-password and nothing changes;
 * - with registry-username / registry-password the host logs in into a private DOCKER_CONFIG (password on
 *   stdin), pulls, deploys the image pinned by digest; the host user's ~/.docker is never created, the
 *   DOCKER_CONFIG is gone afterwards, the password is in no log line;
 * - the same over a real sshd (the host is this machine): the SSH user's real ~/.docker/config.json is byte
 *   for byte what it was, and no docker-config dir is left in the host's temp dirs;
 * - main SIGKILLed while logged in (run-on local): the post step removes the DOCKER_CONFIG (it lives in the
 *   runner target's recorded temp dir).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniAppImage, startMiniStack, type MiniStack } from '../fixtures/compose-mini.js';
import { filesUnder, killedRun } from '../fixtures/killed-run.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

const USER = 'deployer';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
let s: MiniStack;
let reg: Registry;
let image: string;
let imageV3: string;
let sshd: SshdHost;
const work = mkdtempSync(join(tmpdir(), 'dk-cd-registry-'));

beforeAll(async () => {
  reg = await startRegistry({ users: { [USER]: PASSWORD } });
  s = await startMiniStack();
  image = `${reg.host}/mini:v2`;
  imageV3 = `${reg.host}/mini:v3`;
  miniAppImage(s.dockerd, image, 'v2');
  // The test pushes with its own login (its own DOCKER_CONFIG), then drops the local copy: the deploy must pull.
  const config = join(work, 'pusher');
  mkdirSync(config);
  const env = { ...process.env, DOCKER_HOST: s.dockerHost, DOCKER_CONFIG: config };
  execFileSync('docker', ['login', `--username=${USER}`, '--password-stdin', reg.host], {
    env,
    input: PASSWORD,
    timeout: 60_000,
  });
  execFileSync('docker', ['push', image], { env, stdio: 'ignore', timeout: 120_000 });
  s.docker('rmi', image);
  miniAppImage(s.dockerd, imageV3, 'v3');
  execFileSync('docker', ['push', imageV3], { env, stdio: 'ignore', timeout: 120_000 });
  s.docker('rmi', imageV3);
  sshd = await startSshd();
}, 300_000);

afterAll(async () => {
  await sshd?.stop();
  await s?.stop();
  await reg?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A run with its own HOME and RUNNER_TEMP (both checked afterwards). */
async function deploy(extra: Record<string, string>) {
  const home = mkdtempSync(join(work, 'home-'));
  const runnerTemp = mkdtempSync(join(work, 'temp-'));
  const r = await runDist(
    'compose-deploy',
    {
      'run-on': 'local',
      path: s.dir,
      image,
      'healthy-timeout': '2m',
      'drain-timeout': '5s',
      ...extra,
    },
    { env: { DOCKER_HOST: s.dockerHost, HOME: home, RUNNER_TEMP: runnerTemp } },
  );
  return { r, home, runnerTemp };
}

const hasImage = (ref: string) => {
  try {
    s.docker('image', 'inspect', ref);
    return true;
  } catch {
    return false;
  }
};
const historyIds = () => {
  const f = join(s.dir, '.deploy-kit', 'releases.jsonl');
  return existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id)
    : [];
};

describe.sequential('compose-deploy: registry-username / registry-password', () => {
  let v1: string;

  it('without credentials the registry refuses the pull and nothing changes', async () => {
    v1 = s.running('web')[0]!;
    const { r } = await deploy({ 'release-id': 'rel-anon' });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.join('\n')).toMatch(
      /pulling .*mini:v2 failed \(nothing was changed\):.*(unauthorized|no basic auth|authentication required)/,
    );
    expect(r.annotations.join('\n')).toMatch(/registry-username \/ registry-password/);
    expect(s.running('web')).toEqual([v1]);
    expect(s.envImage()).toBe('dk-mini:v1');
    expect(hasImage(image)).toBe(false);
    expect(historyIds()).not.toContain('rel-anon');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
  }, 300_000);

  it('with a wrong password the login fails naming registry-password; nothing changes, no config left', async () => {
    const { r, home, runnerTemp } = await deploy({
      'release-id': 'rel-wrong',
      'registry-username': USER,
      'registry-password': 'not-the-password',
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(
      new RegExp(
        `input \`registry-password\`: local: docker login to ${reg.host.replace(/\./g, '\\.')} as ${USER} failed`,
      ),
    );
    expect(s.running('web')).toEqual([v1]);
    expect(s.envImage()).toBe('dk-mini:v1');
    expect(hasImage(image)).toBe(false);
    expect(historyIds()).not.toContain('rel-wrong');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    expect(readdirSync(runnerTemp)).toEqual([]);
    expect(existsSync(join(home, '.docker'))).toBe(false);
  }, 300_000);

  it('with credentials: logs in into a private DOCKER_CONFIG, pulls, deploys pinned by digest, leaves nothing', async () => {
    const { r, home, runnerTemp } = await deploy({
      'release-id': 'rel-v2',
      'registry-username': USER,
      'registry-password': PASSWORD,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    const digest = (
      JSON.parse(s.docker('image', 'inspect', '--format', '{{json .RepoDigests}}', image)) as string[]
    ).find((d) => d.startsWith(`${reg.host}/mini@sha256:`))!;
    expect(digest).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(r.outputs.image).toBe(digest);
    expect(s.running('web')).toEqual([digest]);
    expect(s.envImage()).toBe(digest);
    expect(historyIds()).toContain('rel-v2');
    expect(r.stdout).toContain(`logged in to ${reg.host} as ${USER}`);
    // The host user's docker config was never touched; the private one is gone with the run's temp dir.
    expect(existsSync(join(home, '.docker'))).toBe(false);
    expect(readdirSync(runnerTemp)).toEqual([]);
    // The password's only appearance is the runner's own mask command (it hides the value from the job log).
    const logged = (r.stdout + r.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(r.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect([...logged, JSON.stringify(r.outputs), r.summary].join('\n')).not.toContain(PASSWORD);
    expect(r.post?.exitCode).toBe(0);
  }, 300_000);

  it("over SSH: the host user's ~/.docker is not changed and no DOCKER_CONFIG is left on the host", async () => {
    // The SSH host is this machine, as the user sshd runs the session as (this user): its real ~/.docker.
    const hostConfig = join(userInfo().homedir, '.docker', 'config.json');
    const configBefore = existsSync(hostConfig) ? readFileSync(hostConfig, 'utf8') : null;
    const leftConfigs = () =>
      // mktemp -d -t on the host: /tmp (the SSH session sets no TMPDIR).
      readdirSync('/tmp')
        .filter((n) => n.startsWith('deploy-kit.'))
        .flatMap((n) => {
          try {
            return readdirSync(join('/tmp', n)).filter((f) => f.startsWith('docker-config-'));
          } catch {
            return [];
          }
        });
    expect(leftConfigs()).toEqual([]);
    const r = await runDist('compose-deploy', {
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      'docker-host': s.dockerHost,
      path: s.dir,
      image: imageV3,
      'release-id': 'rel-v3',
      'registry-username': USER,
      'registry-password': PASSWORD,
      'healthy-timeout': '2m',
      'drain-timeout': '5s',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(r.stdout).toContain(`127.0.0.1:${sshd.port}: logged in to ${reg.host} as ${USER}`);
    expect(s.running('web')).toEqual([r.outputs.image]);
    expect(r.outputs.image).toMatch(new RegExp(`^${reg.host.replace(/\./g, '\\.')}/mini@sha256:[0-9a-f]{64}$`));
    expect(existsSync(hostConfig) ? readFileSync(hostConfig, 'utf8') : null).toBe(configBefore);
    expect(leftConfigs()).toEqual([]);
  }, 300_000);

  it('killed while logged in (SIGKILL, run-on local): the post step removes the DOCKER_CONFIG with the credentials', async () => {
    const runnerTemp = mkdtempSync(join(work, 'killed-'));
    const configs = () => filesUnder(runnerTemp).filter((f) => /\/docker-config-[0-9a-f]+\//.test(f));
    const k = await killedRun({
      action: 'compose-deploy',
      inputs: {
        'run-on': 'local',
        path: s.dir,
        image,
        'release-id': 'rel-killed',
        'registry-username': USER,
        'registry-password': PASSWORD,
      },
      env: { DOCKER_HOST: s.dockerHost, HOME: mkdtempSync(join(work, 'home-')) },
      runnerTemp,
      killWhen: () => configs().length > 0,
    });
    expect(k.killedAtMoment, k.log).toBe(true);
    // The login had written its credentials under RUNNER_TEMP when main was killed.
    expect(k.leftInTemp.some((f) => /\/docker-config-[0-9a-f]+\/config\.json$/.test(f))).toBe(true);
    expect(k.postExitCode, k.postOutput).toBe(0);
    expect(k.afterPost).toEqual([]);
    expect(readdirSync(runnerTemp)).toEqual([]);
  }, 300_000);
});
