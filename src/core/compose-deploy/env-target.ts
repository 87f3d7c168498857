import type { Command } from '../../lib/command.js';
import type { ExecOptions } from '../../lib/exec/types.js';
import type { Target } from '../../lib/target/types.js';

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
