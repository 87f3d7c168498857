import { lstatSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';

/** The action state key under which openTargets records the SSH key folder for the post step. */
export const SSH_DIR_STATE = 'deploy-kit-ssh-dir';

/**
 * The folder the post step may remove, or undefined: only a path this run can prove it made — absolute,
 * no `..`, directly under RUNNER_TEMP, named exactly `deploy-kit-ssh-XXXXXX` (mkdtemp), a real directory
 * (not a link). Anything else is left alone, whatever the state says.
 */
export function provableSshDir(value: string | undefined, runnerTemp: string | undefined): string | undefined {
  if (!value || !runnerTemp || !isAbsolute(value) || !isAbsolute(runnerTemp)) return undefined;
  if (value.split('/').includes('..')) return undefined;
  const dir = resolve(value);
  if (dirname(dir) !== resolve(runnerTemp)) return undefined;
  if (!/^deploy-kit-ssh-[A-Za-z0-9]{6}$/.test(basename(dir))) return undefined;
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

/**
 * The post step of every SSH-capable action: removes the key folder main recorded, even when main was
 * killed. Kept free of @actions/core so the post step starts at once (it reads STATE_* itself).
 */
export function cleanupSshState(env: NodeJS.ProcessEnv = process.env): void {
  const dir = provableSshDir(env[`STATE_${SSH_DIR_STATE}`], env.RUNNER_TEMP);
  if (!dir) return;
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write('removed the SSH key material\n');
}
