import { posix } from 'node:path';
import type { Command } from '../../lib/command.js';
import type { RunContext } from '../../lib/context.js';
import { InputError } from '../../lib/errors.js';
import { runChecked, succeeded, type ExecOptions } from '../../lib/exec/types.js';
import type { Target } from '../../lib/target/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';

/**
 * `t` with `env` added to every command it runs (e.g. DOCKER_HOST for a rootless engine): env travels as the
 * target carries env (a child's environment on the runner, stdin over SSH), never in argv. Everything else
 * (temp dir, secret files, transfers, dispose) is the target's own.
 */
export function withEnv(t: Target, env: Record<string, string>): Target {
  if (Object.keys(env).length === 0) return t;
  return new Proxy(t, {
    get(obj, prop) {
      if (prop === 'run')
        return (cmd: Command, opts?: ExecOptions) => obj.run({ ...cmd, env: { ...env, ...cmd.env } }, opts);
      const v: unknown = Reflect.get(obj, prop, obj);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(obj) : v;
    },
  });
}

/** Credentials for pulling `image` from a private registry (registry-username / registry-password). */
export interface RegistryAuth {
  /** `host[:port]` as `docker login` takes it (`docker.io` for Docker Hub). */
  registry: string;
  username: string;
  /** Registered as a secret by the input reader; crosses only on stdin. */
  password: string;
}

/** The registry part of an image reference (`docker.io` when the first component is not a host); '' for an image id. */
export function registryOf(image: string): string {
  if (/^sha256:[0-9a-f]{64}$/.test(image)) return '';
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/** `mkdir -m 0700 -- <dir>`: the private DOCKER_CONFIG of one login. */
export function privateDirCommand(dir: string): Command {
  return { argv: ['mkdir', '-m', '0700', '--', dir], label: 'mkdir DOCKER_CONFIG' };
}

/**
 * `docker login` into the private DOCKER_CONFIG `dir` (env, so the host user's ~/.docker is never read or
 * changed); the password on stdin (`--password-stdin`), never in argv.
 */
export function dockerLoginCommand(auth: RegistryAuth, dir: string): Command {
  return {
    argv: ['docker', 'login', `--username=${auth.username}`, '--password-stdin', '--', auth.registry],
    env: { DOCKER_CONFIG: dir },
    stdin: `${auth.password}\n`,
    label: `docker login ${auth.registry}`,
  };
}

/** `rm -rf -- <dir>` (the DOCKER_CONFIG made for one login). */
export function removeDirCommand(dir: string): Command {
  return { argv: ['rm', '-rf', '--', dir], label: 'rm DOCKER_CONFIG' };
}

/**
 * Runs `fn` with the env its registry commands need on `t`: with `auth`, a private DOCKER_CONFIG in the
 * target's own temp dir (0700; on the runner that dir is recorded for the post step, elsewhere removed by the
 * target's dispose) logged in to the registry, removed again as soon as `fn` ends, so the credentials live
 * on the host only while it pulls. Without `auth`, `fn({})`.
 */
export async function withRegistryLogin<T>(
  t: Target,
  auth: RegistryAuth | undefined,
  ctx: RunContext,
  fn: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!auth) return fn({});
  const dir = posix.join(await t.tempDir(), `docker-config-${randomHex()}`);
  const opts = { timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal };
  await runChecked(t, privateDirCommand(dir), opts);
  try {
    const r = await t.run(dockerLoginCommand(auth, dir), { timeoutMs: TIMEOUTS.remoteStepMs, signal: ctx.signal });
    if (!succeeded(r))
      throw new InputError(
        'registry-password',
        `${t.target}: docker login to ${auth.registry} as ${auth.username} failed (nothing was changed): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}. Check registry-username, registry-password and registry`,
      );
    ctx.log(
      `${t.target}: logged in to ${auth.registry} as ${auth.username} (private DOCKER_CONFIG, removed after the pull)`,
    );
    return await fn({ DOCKER_CONFIG: dir });
  } finally {
    // Not tied to the signal: a cancelled run must still remove the credentials.
    const r = await t.run(removeDirCommand(dir), { timeoutMs: TIMEOUTS.housekeepingMs });
    if (!succeeded(r)) ctx.warn(`${t.target}: could not remove ${dir} (registry credentials)`, 'compose-deploy');
  }
}

const randomHex = (): string => process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
