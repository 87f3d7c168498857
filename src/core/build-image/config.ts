/** build-image inputs → a validated configuration; nothing runs here. */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type Inputs } from '../../lib/inputs.js';
import type { Credentials } from '../../lib/oci/client.js';
import { parseImageInput, type ImageRef } from '../../lib/oci/reference.js';
import { CACHE_MODES, type CacheMode } from './builders.js';
import { TAG_RE, TAG_RULES, type TagRule } from './tags.js';

export interface BuildConfig {
  context: string;
  file: string;
  target: string;
  image: ImageRef;
  extraTags: string[];
  tagRules: TagRule[];
  defaultBranch: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  /** Secret id → value (masked when read). */
  secrets: Record<string, string>;
  /** Secret id → path of a file on the runner holding it (multi-line secrets, keys). */
  secretFiles: Record<string, string>;
  platforms: string[];
  push: boolean;
  credentials?: Credentials;
  cache: CacheMode;
  cacheRef: string;
  docker: string;
  network: string;
  pull: boolean;
  timeoutMs: number;
  insecureHttp: boolean;
  /** From the environment. */
  git: { sha: string; ref: string; repository: string; serverUrl: string; sourceDateEpoch: string };
}

const DEFAULT_TAG_RULES = ['sha', 'branch', 'semver', 'latest'];
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const SECRET_ID_RE = /^[A-Za-z0-9_.-]{1,128}$/;
const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const ARG_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** KEY=VALUE lines (values may contain `=`); keys checked against `keyRe`. Secret values are masked first. */
function keyValues(inputs: Inputs, name: string, keyRe: RegExp, what: string, secret: boolean): Record<string, string> {
  const text = secret ? inputs.secret(name) : inputs.raw(name);
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (eq <= 0) throw new InputError(name, `a line${secret ? '' : ` ("${line.slice(0, 40)}")`} is not KEY=VALUE`);
    if (!keyRe.test(key)) throw new InputError(name, `"${key}" is not a valid ${what}`);
    if (key in out) throw new InputError(name, `"${key}" is given twice`);
    out[key] = line.slice(eq + 1);
  }
  return out;
}

function defaultBranchFromEvent(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
      repository?: { default_branch?: string };
    };
    return event.repository?.default_branch || undefined;
  } catch {
    return undefined;
  }
}

export function readBuildConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): BuildConfig {
  const imageText = inputs.required('image');
  const image = parseImageInput('image', imageText);
  if (image.tag || image.digest) {
    throw new InputError('image', `"${imageText}": give the name without a tag or digest (tags come from \`tags\`)`);
  }
  const extraTags = inputs.list('tags');
  for (const t of extraTags) if (!TAG_RE.test(t)) throw new InputError('tags', `"${t}" is not a valid tag`);
  const ruleNames = inputs.list('tag-rules');
  if (ruleNames.includes('none') && ruleNames.length > 1) {
    throw new InputError('tag-rules', '`none` cannot be combined with other rules');
  }
  const tagRules = (ruleNames.length ? ruleNames : DEFAULT_TAG_RULES)
    .filter((r) => r !== 'none')
    .map((r) => {
      if (!(TAG_RULES as readonly string[]).includes(r)) {
        throw new InputError('tag-rules', `"${r}" is not one of ${TAG_RULES.join(', ')}, none`);
      }
      return r as TagRule;
    });
  const platforms = inputs.list('platforms');
  for (const p of platforms) {
    if (!PLATFORM_RE.test(p)) throw new InputError('platforms', `"${p}" is not os/arch[/variant] (e.g. linux/amd64)`);
  }
  if (new Set(platforms).size !== platforms.length) throw new InputError('platforms', 'lists a platform twice');
  const registry = inputs.string('registry');
  if (registry && registry !== image.registry) {
    throw new InputError('registry', `"${registry}" is not the registry of \`image\` (${image.registry})`);
  }
  const username = inputs.string('username');
  const password = inputs.secret('password');
  if (username && !password) throw new InputError('password', 'is required when `username` is set');
  if (password && !username) throw new InputError('username', 'is required when `password` is set');
  const secrets = keyValues(inputs, 'secrets', SECRET_ID_RE, 'secret id', true);
  const secretFiles: Record<string, string> = {};
  for (const [id, path] of Object.entries(keyValues(inputs, 'secret-files', SECRET_ID_RE, 'secret id', false))) {
    if (id in secrets) throw new InputError('secret-files', `"${id}" is also given in \`secrets\``);
    const abs = resolve(env.GITHUB_WORKSPACE || process.cwd(), path.trim());
    let ok = false;
    try {
      ok = statSync(abs).isFile();
    } catch {
      ok = false;
    }
    if (!ok) throw new InputError('secret-files', `"${id}": ${abs} is not a readable file`);
    // The builder reads `--secret id=…,src=…` as CSV: a comma or quote in the path would split or break it.
    if (/[,"]/.test(abs)) {
      throw new InputError('secret-files', `"${id}": ${abs} has a comma or quote, which \`--secret\` cannot carry`);
    }
    secretFiles[id] = abs;
  }
  const cache = inputs.choice('cache', CACHE_MODES, 'local');
  const network = inputs.string('network');
  if (network && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) {
    throw new InputError('network', `"${network}" is not a network name (e.g. none, host, default)`);
  }
  const docker = inputs.string('docker', 'docker');
  if (/\s/.test(docker))
    throw new InputError('docker', `"${docker}" must be a program name or path, not a command line`);
  const target = inputs.string('target');
  if (target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError('target', `"${target}" is not a build stage name`);
  }
  const cacheRef = inputs.string('cache-ref', `${image.registry}/${image.repository}:buildcache`);
  return {
    context: inputs.string('context', '.'),
    file: inputs.string('file'),
    target,
    image,
    extraTags,
    tagRules,
    defaultBranch: inputs.string('default-branch') || defaultBranchFromEvent(env) || 'main',
    labels: keyValues(inputs, 'labels', LABEL_KEY_RE, 'label key', false),
    buildArgs: keyValues(inputs, 'build-args', ARG_RE, 'build argument name', false),
    secrets,
    secretFiles,
    platforms,
    push: inputs.boolean('push', true),
    ...(username ? { credentials: { username, password } } : {}),
    cache,
    cacheRef,
    docker,
    network,
    pull: inputs.boolean('pull', false),
    timeoutMs: inputs.duration('timeout', '30m', { min: 1000 }),
    insecureHttp: inputs.boolean('insecure-http', false),
    git: {
      sha: env.GITHUB_SHA ?? '',
      ref: env.GITHUB_REF ?? '',
      repository: env.GITHUB_REPOSITORY ?? '',
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      sourceDateEpoch: env.SOURCE_DATE_EPOCH ?? '',
    },
  };
}
