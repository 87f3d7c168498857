/**
 * The third-party actions the local runner stands in for, and what each one does here. Anything not in
 * this table (and not a deploy-kit action of this checkout) fails the step with a message that says so.
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export interface EmulationContext {
  workspace: string;
  /** Where upload-artifact keeps files for download-artifact within the run. */
  artifactsDir: string;
  log(line: string): void;
}

type Emulation = {
  /** The inputs it understands; any other input fails the step (nothing is silently ignored). */
  inputs: readonly string[];
  run(inputs: Record<string, string>, ctx: EmulationContext): Record<string, string>;
};

function inside(base: string, p: string, what: string): string {
  const abs = isAbsolute(p) ? p : resolve(base, p);
  const rel = relative(base, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${what} ${p} is outside the workspace`);
  return abs;
}

function artifactName(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`artifact name "${name}" must be letters, digits, . _ -`);
  return name;
}

export const EMULATED: Record<string, Emulation> = {
  // The workspace is the checkout: the local runner runs the working tree as it is (uncommitted changes too).
  'actions/checkout': {
    inputs: ['fetch-depth', 'persist-credentials', 'clean', 'fetch-tags', 'show-progress'],
    run(_inputs, ctx) {
      if (!existsSync(ctx.workspace)) throw new Error(`the workspace ${ctx.workspace} does not exist`);
      ctx.log(`actions/checkout (emulated): the workspace ${ctx.workspace} is the checkout, as it is on disk`);
      return {};
    },
  },
  'actions/upload-artifact': {
    inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'overwrite'],
    run(inputs, ctx) {
      const name = artifactName(inputs.name || 'artifact');
      const dest = join(ctx.artifactsDir, name);
      const paths = (inputs.path ?? '')
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      if (!paths.length) throw new Error('upload-artifact needs a path');
      let copied = 0;
      for (const p of paths) {
        const src = inside(ctx.workspace, p, 'path');
        if (!existsSync(src)) continue;
        mkdirSync(dest, { recursive: true });
        cpSync(src, join(dest, relative(ctx.workspace, src)), { recursive: true });
        copied++;
      }
      if (!copied && (inputs['if-no-files-found'] ?? 'warn') === 'error')
        throw new Error(`no files found at ${paths.join(', ')}`);
      ctx.log(`actions/upload-artifact (emulated): ${copied} path(s) kept as artifact ${name}`);
      return {};
    },
  },
  'actions/download-artifact': {
    inputs: ['name', 'path'],
    run(inputs, ctx) {
      const name = artifactName(inputs.name || 'artifact');
      const src = join(ctx.artifactsDir, name);
      if (!existsSync(src)) throw new Error(`no artifact named ${name} was uploaded in this run`);
      const dest = inside(ctx.workspace, inputs.path || '.', 'path');
      mkdirSync(dest, { recursive: true });
      for (const entry of readdirSync(src)) cpSync(join(src, entry), join(dest, entry), { recursive: true });
      ctx.log(`actions/download-artifact (emulated): artifact ${name} → ${dest}`);
      return { 'download-path': dest };
    },
  },
};

export const EMULATED_NAMES = Object.keys(EMULATED);
