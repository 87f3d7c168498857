import type { Command } from '../../lib/command.js';
import { composeCommand, type ComposeProject } from '../../lib/compose.js';

/**
 * Every command compose-deploy runs on a host, as data. Scripts are constants; paths, names and values are
 * positional parameters, so nothing from input is parsed by a shell (argv crosses SSH through quoteArgv).
 */

/** The compose project of a deploy: the project directory, its files, and the fixed project name (-p). */
export interface Project {
  compose: ComposeProject;
  /** The project directory (holds the env file `.env` Compose reads). */
  dir: string;
  /** The image variable and the value it gets for this call (travels as env, overriding `.env`). */
  imageVariable: string;
}

export function projectOf(
  flavor: ComposeProject['flavor'],
  dir: string,
  files: string[],
  name: string,
  imageVariable: string,
): Project {
  return { compose: { flavor, files, cwd: dir, project: name }, dir, imageVariable };
}

/** A compose call with the image variable set to `image` (or as `.env` has it when undefined). */
export function compose(p: Project, args: string[], image?: string, label?: string): Command {
  return composeCommand(p.compose, args, {
    ...(image ? { env: { [p.imageVariable]: image } } : {}),
    label:
      label ??
      `compose ${args
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}`,
  });
}

/** The resolved configuration (YAML) with the image variable set: which services use it, ports, names. */
export function configCommand(p: Project, image: string): Command {
  return compose(p, ['config'], image, 'compose config');
}

/** Start-first: one more container per running one, from the new image, beside the old (never recreated). */
export function scaleUpCommand(p: Project, service: string, count: number, image: string): Command {
  return compose(
    p,
    ['up', '-d', '--no-deps', '--no-recreate', '--no-build', '--scale', `${service}=${count}`, service],
    image,
    `start ${count} × ${service}`,
  );
}

/** recreate: stop the old container and start the new one in its place (a gap in service). */
export function recreateCommand(p: Project, services: string[], image: string): Command {
  return compose(
    p,
    ['up', '-d', '--no-deps', '--force-recreate', ...services],
    image,
    `recreate ${services.join(', ')}`,
  );
}

/** Ids (full) of the containers of one service of the project; running only unless `all`. */
export function containersCommand(project: string, service: string, all = false): Command {
  return {
    argv: [
      'docker',
      'ps',
      ...(all ? ['-a'] : []),
      '-q',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ],
    label: `containers of ${service}`,
  };
}

/**
 * State, health, image, name and networks of containers, one JSON object per line. `.State` goes out whole
 * (health read in parseInspect): the docker CLI may run the template on the raw JSON, where a container with
 * no healthcheck has no `Health` key and `.State.Health` is a template error.
 */
export function inspectCommand(ids: string[]): Command {
  return {
    argv: [
      'docker',
      'inspect',
      '--format',
      '{"id":{{json .Id}},"name":{{json .Name}},"state":{{json .State}},"image":{{json .Image}},"configImage":{{json .Config.Image}},"networks":{{json .NetworkSettings.Networks}}}',
      '--',
      ...ids,
    ],
    label: 'docker inspect',
  };
}

export interface ContainerState {
  id: string;
  name: string;
  status: string;
  /** '' when the container has no healthcheck; starting | healthy | unhealthy otherwise. */
  health: string;
  image: string;
  configImage: string;
  exitCode: number;
  /** Network name → the container's address on it (empty when it is not running). */
  networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string } | null> | null;
}

interface InspectLine {
  id: string;
  name: string;
  state?: { Status?: string; ExitCode?: number; Health?: { Status?: string } | null } | null;
  image: string;
  configImage: string;
  networks?: ContainerState['networks'];
}

export function parseInspect(stdout: string): ContainerState[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l) as InspectLine;
      return {
        id: o.id,
        name: o.name,
        status: o.state?.Status ?? '',
        health: o.state?.Health?.Status ?? '',
        image: o.image,
        configImage: o.configImage,
        exitCode: o.state?.ExitCode ?? 0,
        networks: o.networks ?? null,
      };
    });
}

/** `docker exec <id> <probe…>`: a probe inside the new container (when it has no Docker healthcheck). */
export function probeCommand(id: string, probe: string[]): Command {
  return { argv: ['docker', 'exec', id, ...probe], label: `probe ${id.slice(0, 12)}` };
}

/**
 * The in-network HTTP probe, run inside a container of the project (the proxy by default): GET `$1` with
 * curl, wget or Python, whichever the container has, bounded by `$2` seconds (wget under `timeout` when the container has it). Exits 0 on an answer below
 * 400 (the clients' own success rule), non-zero otherwise; 127 when the container has none of the three.
 * A constant script: the URL is a positional parameter, never parsed by the shell.
 */
export const HTTP_PROBE_SCRIPT = String.raw`url=$1; t=$2
if command -v curl >/dev/null 2>&1; then exec curl -fsS -o /dev/null --max-time "$t" -- "$url"; fi
if command -v wget >/dev/null 2>&1; then
  # under timeout when there is one: busybox builds exist whose wget -T crashes
  if command -v timeout >/dev/null 2>&1; then exec timeout "$t" wget -q -O /dev/null -- "$url"; fi
  exec wget -q -O /dev/null -T "$t" -- "$url"
fi
for py in python3 python; do
  if command -v "$py" >/dev/null 2>&1; then
    exec "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))' "$url" "$t"
  fi
done
echo "deploy-kit probe: no curl, wget or python in this container" >&2
exit 127
`;

/** The exit code of HTTP_PROBE_SCRIPT when the container has no HTTP client. */
export const PROBE_NO_CLIENT = 127;

/** `docker exec <from> sh -c HTTP_PROBE_SCRIPT …`: an HTTP request from a container on the project network. */
export function httpProbeCommand(fromId: string, url: string, timeoutSeconds: number): Command {
  return {
    argv: ['docker', 'exec', fromId, 'sh', '-c', HTTP_PROBE_SCRIPT, 'deploy-kit-probe', url, String(timeoutSeconds)],
    label: `probe ${url} from ${fromId.slice(0, 12)}`,
  };
}

/**
 * `http://<address>:<port><path>` of a container on a network it shares with `from` (the container that
 * sends the request); undefined when they share none. IPv6 addresses are bracketed.
 */
export function inNetworkUrl(
  target: ContainerState,
  from: ContainerState,
  port: number,
  path: string,
): string | undefined {
  const mine = target.networks ?? {};
  const theirs = from.networks ?? {};
  for (const name of Object.keys(mine).sort()) {
    if (!theirs[name]) continue;
    const v4 = mine[name]?.IPAddress;
    const v6 = mine[name]?.GlobalIPv6Address;
    if (v4) return `http://${v4}:${port}${path}`;
    if (v6) return `http://[${v6}]:${port}${path}`;
  }
  return undefined;
}

/** The processes of a container as the host sees them (`docker top`: no tool needed inside it). */
export function topCommand(id: string): Command {
  return { argv: ['docker', 'top', id], label: `processes of ${id.slice(0, 12)}` };
}

/** `docker top` output → pid and command line of each process. */
export function parseTop(stdout: string): { pid: string; cmd: string }[] {
  const lines = stdout.split('\n').filter((l) => l.trim());
  const header = (lines.shift() ?? '').trim().split(/\s+/);
  const pidAt = header.indexOf('PID');
  const cmdAt = header.findIndex((h) => h === 'CMD' || h === 'COMMAND');
  if (pidAt < 0 || cmdAt < 0) return [];
  return lines.map((l) => {
    const f = l.trim().split(/\s+/);
    return { pid: f[pidAt] ?? '', cmd: f.slice(cmdAt).join(' ') };
  });
}

/** nginx's workers that take new connections (not those finishing their requests after a reload). */
export function nginxWorkers(procs: { pid: string; cmd: string }[]): string[] {
  return procs.filter((p) => p.cmd === 'nginx: worker process').map((p) => p.pid);
}

/** Reloads a proxy container (nginx re-resolves the service name, now with the new containers). */
export function proxyReloadCommand(id: string, reload: string[]): Command {
  return { argv: ['docker', 'exec', id, ...reload], label: `reload proxy ${id.slice(0, 12)}` };
}

/** SIGTERM, up to `seconds` to finish in-flight requests, then SIGKILL; waits until it stopped. */
export function stopCommand(ids: string[], seconds: number): Command {
  return { argv: ['docker', 'stop', '-t', String(seconds), '--', ...ids], label: `stop ${ids.length} container(s)` };
}

/** Removes stopped containers (never their volumes: no -v). */
export function removeCommand(ids: string[]): Command {
  return { argv: ['docker', 'rm', '-f', '--', ...ids], label: `remove ${ids.length} container(s)` };
}

export function logsCommand(id: string): Command {
  return { argv: ['docker', 'logs', '--tail', '30', id], label: `logs ${id.slice(0, 12)}` };
}

export function pullCommand(image: string): Command {
  return { argv: ['docker', 'pull', '--', image], label: `pull ${image}` };
}

/** Image id and repo digests of a local image. */
export function imageInspectCommand(image: string): Command {
  return {
    argv: ['docker', 'image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', '--', image],
    label: `inspect ${image}`,
  };
}

/** `name@sha256:…` for the image's repository when the engine knows its registry digest; else the image id. */
export function pinnedRef(image: string, stdout: string): string {
  const [id, digestsJson] = stdout.trim().split(/ (.*)/s);
  if (!id || !/^sha256:[0-9a-f]{64}$/.test(id)) throw new Error(`docker image inspect ${image} printed no image id`);
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return image;
  const repo = repositoryOf(image);
  let digests: string[] = [];
  try {
    digests = (JSON.parse(digestsJson ?? '[]') as string[] | null) ?? [];
  } catch {
    digests = [];
  }
  const match = digests.find((d) => d.startsWith(`${repo}@sha256:`));
  return match ?? id;
}

/** The repository part of `name[:tag][@digest]` (a registry port is not a tag). */
export function repositoryOf(image: string): string {
  const noDigest = image.replace(/@sha256:[0-9a-f]{64}$/, '');
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * The host-side steps on the project directory. `get-env`: prints the variable's value from `.env`
 * (nothing when unset). `set-env`: writes it (other lines kept, in order; mode kept) through a temp file
 * renamed over `.env`. `history`: prints the release history. `backups`: makes the backup folder.
 * `set-image`/`get-image`/`images`: the pinned image of each recorded release (`.deploy-kit/images/<id>`).
 */
export const HOST_SCRIPT = String.raw`set -eu
cmd=$1; dir=$2; shift 2
f="$dir/.env"
case "$cmd" in
  get-env)
    [ -f "$f" ] || exit 0
    awk -v n="$1" 'index($0, n "=") == 1 { v = substr($0, length(n) + 2) } END { if (v != "") print v }' "$f" ;;
  set-env)
    tmp="$dir/.env.deploy-kit.$$"
    if [ -f "$f" ]; then
      awk -v n="$1" -v v="$2" 'index($0, n "=") == 1 { if (!d) print n "=" v; d = 1; next } { print } END { if (!d) print n "=" v }' "$f" > "$tmp"
      chmod --reference="$f" "$tmp" 2>/dev/null || true
    else
      printf '%s=%s\n' "$1" "$2" > "$tmp"
    fi
    sync "$tmp" 2>/dev/null || true
    mv -f -- "$tmp" "$f" ;;
  history)
    cat -- "$dir/.deploy-kit/releases.jsonl" 2>/dev/null || true ;;
  set-image)
    mkdir -p -- "$dir/.deploy-kit/images"
    printf '%s\n' "$2" > "$dir/.deploy-kit/images/$1.tmp"; mv -f -- "$dir/.deploy-kit/images/$1.tmp" "$dir/.deploy-kit/images/$1" ;;
  get-image)
    cat -- "$dir/.deploy-kit/images/$1" ;;
  images)
    [ -d "$dir/.deploy-kit/images" ] || exit 0
    for p in "$dir/.deploy-kit/images"/*; do [ -f "$p" ] && case "$p" in *.tmp) ;; *) printf '%s\n' "\${p##*/}" ;; esac; done; true ;;
  backups)
    mkdir -p -- "$dir/.deploy-kit/backups"; chmod 700 "$dir/.deploy-kit/backups"; printf '%s\n' "$dir/.deploy-kit/backups" ;;
  default-file)
    for n in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do
      [ -f "$dir/$n" ] && { printf '%s\n' "$dir/$n"; exit 0; }
    done
    echo "no compose file in $dir (compose.yaml, docker-compose.yml …); set compose-file" >&2; exit 3 ;;
  check-dir)
    [ -d "$dir" ] || { echo "$dir does not exist" >&2; exit 3; } ;;
  *) echo "unknown step $cmd" >&2; exit 2 ;;
esac
`.replace(/\\\$\{/g, '$' + '{'); // \${ keeps the template literal from interpolating sh's ${…}

export type HostStep =
  'default-file' | 'get-env' | 'set-env' | 'history' | 'backups' | 'check-dir' | 'set-image' | 'get-image' | 'images';

/** One step of HOST_SCRIPT on the project directory `dir` (release ids are checked where they are read). */
export function hostStep(step: HostStep, dir: string, ...args: string[]): Command {
  return {
    argv: ['sh', '-c', HOST_SCRIPT, 'deploy-kit', step, dir, ...args],
    label: `${step} ${args[0] ?? ''}`.trim(),
  };
}
