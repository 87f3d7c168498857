/** Tags and OCI labels derived from git and the GitHub environment; pure functions, no I/O. */

export const TAG_RULES = ['sha', 'branch', 'semver', 'latest', 'pr'] as const;
export type TagRule = (typeof TAG_RULES)[number];

export interface GitContext {
  /** Full commit sha. */
  sha: string;
  /** GITHUB_REF: refs/heads/<b>, refs/tags/<t>, refs/pull/<n>/merge, or ''. */
  ref: string;
  defaultBranch: string;
}

export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SEMVER_RE =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A branch (or any ref name) made into a valid tag: invalid characters → '-', no leading '.'/'-', ≤128. */
export function sanitizeTag(name: string): string {
  let t = name.replace(/[^A-Za-z0-9_.-]/g, '-');
  t = t.replace(/^[.-]+/, '');
  t = t.slice(0, 128).replace(/[.-]+$/, '');
  return t;
}

export interface Semver {
  major: string;
  minor: string;
  patch: string;
  prerelease?: string;
}

export function parseSemverTag(tag: string): Semver | undefined {
  const m = SEMVER_RE.exec(tag);
  if (!m) return undefined;
  return { major: m[1]!, minor: m[2]!, patch: m[3]!, ...(m[4] ? { prerelease: m[4] } : {}) };
}

/** Semver tags for a git tag: X.Y.Z, X.Y, X; a prerelease gets only X.Y.Z-pre (never moves X or X.Y). */
export function semverTags(v: Semver): string[] {
  if (v.prerelease) return [sanitizeTag(`${v.major}.${v.minor}.${v.patch}-${v.prerelease}`)];
  return [`${v.major}.${v.minor}.${v.patch}`, `${v.major}.${v.minor}`, v.major];
}

export interface RefInfo {
  branch?: string;
  tag?: string;
  pr?: string;
}

export function parseRef(ref: string): RefInfo {
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
  const pr = /^refs\/pull\/(\d+)\//.exec(ref);
  if (pr) return { pr: pr[1]! };
  return {};
}

/** Tags from the rules, in rule order, then the extra tags; duplicates removed (first wins). */
export function tagsFromGit(git: GitContext, rules: readonly TagRule[], extra: readonly string[] = []): string[] {
  const r = parseRef(git.ref);
  const out: string[] = [];
  for (const rule of rules) {
    switch (rule) {
      case 'sha':
        if (/^[0-9a-f]{7,}$/.test(git.sha)) out.push(`sha-${git.sha.slice(0, 7)}`);
        break;
      case 'branch':
        if (r.branch) {
          const t = sanitizeTag(r.branch);
          if (t) out.push(t);
        }
        break;
      case 'pr':
        if (r.pr) out.push(`pr-${r.pr}`);
        break;
      case 'semver': {
        const v = r.tag ? parseSemverTag(r.tag) : undefined;
        if (v) out.push(...semverTags(v));
        break;
      }
      case 'latest':
        if (r.branch && r.branch === git.defaultBranch) out.push('latest');
        break;
    }
  }
  out.push(...extra);
  return [...new Set(out)];
}

/** The version label: X.Y.Z[-pre] for a semver tag, else the branch tag, else sha-<7>. */
export function versionFor(git: GitContext): string {
  const r = parseRef(git.ref);
  const v = r.tag ? parseSemverTag(r.tag) : undefined;
  if (v) return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
  if (r.tag) return sanitizeTag(r.tag);
  if (r.branch) return sanitizeTag(r.branch);
  if (r.pr) return `pr-${r.pr}`;
  return `sha-${git.sha.slice(0, 7)}`;
}

/** `git log --format=%cI` (any offset) → UTC ISO seconds (`2026-01-02T03:04:05Z`) and the Unix epoch. */
export function commitTime(iso: string): { created: string; epoch: number } {
  const ms = Date.parse(iso.trim());
  if (!Number.isFinite(ms)) throw new Error(`"${iso.trim()}" is not a commit time`);
  const epoch = Math.floor(ms / 1000);
  return { created: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'), epoch };
}

export interface LabelSource {
  /** owner/name (GITHUB_REPOSITORY). */
  repository?: string;
  /** https://github.com (GITHUB_SERVER_URL). */
  serverUrl?: string;
  sha: string;
  created: string;
  version: string;
}

/** OCI annotation labels from the repository and commit; user labels override them. */
export function ociLabels(src: LabelSource, user: Readonly<Record<string, string>> = {}): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': src.created,
    'org.opencontainers.image.revision': src.sha,
    'org.opencontainers.image.version': src.version,
  };
  if (src.repository) {
    const server = (src.serverUrl || 'https://github.com').replace(/\/+$/, '');
    labels['org.opencontainers.image.source'] = `${server}/${src.repository}`;
    labels['org.opencontainers.image.url'] = `${server}/${src.repository}`;
    labels['org.opencontainers.image.title'] = src.repository.split('/').pop()!;
  }
  return { ...labels, ...user };
}
