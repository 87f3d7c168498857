import { posix } from 'node:path';
import type { Command } from '../command.js';
import { composeCommand, type ComposeProject } from '../compose.js';
import { describeFailure, runChecked, succeeded, type ExecOptions, type ExecResult } from '../exec/types.js';
import { assertEnvName } from '../quote.js';
import { TIMEOUTS } from '../timeouts.js';
import { CommandTarget } from './base.js';
import {
  parseSha256,
  receiveFileCommand,
  removeCommand,
  sha256Command,
  withStdinFile,
  withStdoutFile,
} from './commands.js';
import { TransferMismatch, type Target, type TransferOptions } from './types.js';

/**
 * How a container is reached from its parent target (the runner or an SSH host):
 * - `docker-exec`: a running container, by name or id (`docker exec -i`);
 * - `compose-exec`: a running Compose service (`compose exec -T`);
 * - `compose-run`: a one-off container of a Compose service per command (`compose run --rm -T`);
 * - `docker-run`: a one-off container of an image per command (`docker run --rm -i … -- <image>`).
 * In every kind the argv runs as is (the one-off kinds set `--entrypoint` to argv[0]).
 */
export type ContainerAccess =
  | { kind: 'docker-exec'; container: string }
  | { kind: 'compose-exec'; project: ComposeProject; service: string }
  | { kind: 'compose-run'; project: ComposeProject; service: string; volumes?: readonly string[] }
  | {
      kind: 'docker-run';
      image: string;
      network?: string;
      /** `-v` values (`/host/path:/container/path`). */
      volumes?: readonly string[];
      /** Working directory when the command names none (`-w`). */
      workdir?: string;
    };

export interface ContainerOptions {
  /** DOCKER_HOST for the docker/compose client (travels as env: locally, or over SSH via stdin). */
  dockerHost?: string;
  /** One-off kinds: containers are named `<namePrefix>-<run id>-<n>` (default `deploy-kit`). */
  namePrefix?: string;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// An image reference: no leading dash, no whitespace; the registry/name/tag/digest grammar is checked by
// the actions that read one from an input.
const IMAGE_RE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@+]*$/;

function check(re: RegExp, value: string, what: string): string {
  if (!re.test(value)) throw new Error(`"${value}" is not a valid ${what}`);
  return value;
}

/** One-off kinds start a new container per command; the others run in one that lives on. */
export function isOneOff(a: ContainerAccess): boolean {
  return a.kind === 'compose-run' || a.kind === 'docker-run';
}

/** `container web`, `service db (docker compose exec -T)`, … for messages. */
export function describeAccess(a: ContainerAccess): string {
  const compose = (p: ComposeProject): string => (p.flavor === 'v2' ? 'docker compose' : 'docker-compose');
  switch (a.kind) {
    case 'docker-exec':
      return `container ${a.container}`;
    case 'compose-exec':
      return `service ${a.service} (${compose(a.project)} exec -T)`;
    case 'compose-run':
      return `service ${a.service} (${compose(a.project)} run --rm -T)`;
    case 'docker-run':
      return `image ${a.image} (docker run --rm)`;
  }
}

export interface ContainerRunSpec {
  /** `--name` for one-off containers (so one left by a stopped client can be removed). */
  name?: string;
  /** Extra `-v` mounts (one-off kinds). */
  mounts?: readonly string[];
  dockerHost?: string;
}

/**
 * The parent-side command that runs `cmd` inside the container. Environment crosses by NAME only
 * (`-e NAME`): the docker/compose client takes each value from its own environment, where the parent
 * target put it (a child's env locally, stdin over SSH). No value is ever in argv.
 */
export function containerCommand(a: ContainerAccess, cmd: Command, spec: ContainerRunSpec = {}): Command {
  const [program, ...rest] = cmd.argv;
  if (!program) throw new Error('empty command');
  const env = cmd.env ?? {};
  const envFlags = Object.keys(env).flatMap((n) => ['-e', assertEnvName(n)]);
  const wd = cmd.cwd ?? (a.kind === 'docker-run' ? a.workdir : undefined);
  const wdFlags = wd ? ['-w', wd] : [];
  const nameFlags = spec.name ? ['--name', check(NAME_RE, spec.name, 'container name')] : [];
  const mounts = [
    ...(a.kind === 'compose-run' || a.kind === 'docker-run' ? (a.volumes ?? []) : []),
    ...(spec.mounts ?? []),
  ];
  const volumeFlags = mounts.flatMap((v) => {
    if (v.startsWith('-')) throw new Error(`"${v}" is not a volume (host:container)`);
    return ['-v', v];
  });
  // One-off containers: name, [network], workdir, env names, volumes, then `--opt=value` and `--` so neither
  // the entrypoint nor the service/image can ever be read as an option.
  const oneOffFlags = (extra: string[]): string[] => [
    ...nameFlags,
    ...extra,
    ...wdFlags,
    ...envFlags,
    ...volumeFlags,
    `--entrypoint=${program}`,
    '--',
  ];
  let outer: Command;
  switch (a.kind) {
    case 'docker-exec':
      outer = {
        argv: [
          'docker',
          'exec',
          '-i',
          ...wdFlags,
          ...envFlags,
          '--',
          check(NAME_RE, a.container, 'container name'),
          ...cmd.argv,
        ],
      };
      break;
    case 'compose-exec':
      outer = composeCommand(a.project, [
        'exec',
        '-T',
        ...wdFlags,
        ...envFlags,
        check(NAME_RE, a.service, 'compose service name'),
        ...cmd.argv,
      ]);
      break;
    case 'compose-run':
      outer = composeCommand(a.project, [
        'run',
        '--rm',
        '-T',
        ...oneOffFlags([]),
        check(NAME_RE, a.service, 'compose service name'),
        ...rest,
      ]);
      break;
    case 'docker-run': {
      const network = a.network ? ['--network', check(NAME_RE, a.network, 'docker network name')] : [];
      // --init: a real PID 1 that forwards the SIGTERM `docker run` proxies on a timeout or cancel.
      outer = {
        argv: [
          'docker',
          'run',
          '--rm',
          '-i',
          '--init',
          ...oneOffFlags(network),
          check(IMAGE_RE, a.image, 'image reference'),
          ...rest,
        ],
      };
      break;
    }
  }
  const outerEnv = { ...env, ...(spec.dockerHost ? { DOCKER_HOST: spec.dockerHost } : {}) };
  return {
    ...outer,
    // The compose project directory (compose kinds); the container's own directory is `-w`.
    cwd: outer.cwd,
    ...(Object.keys(outerEnv).length ? { env: outerEnv } : {}),
    ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}),
    label: cmd.label ?? program,
  };
}

/**
 * A container reached through `parent`. Long-lived kinds keep their temp dir inside the container;
 * one-off kinds (a new container per command) keep files in the parent's temp dir, mounted at the same
 * path into every container they start (so the docker daemon must run where the parent is).
 */
export class ContainerTarget extends CommandTarget {
  readonly kind = 'container' as const;
  readonly target: string;
  private readonly runId = process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex');
  private seqNo = 0;

  constructor(
    readonly parent: Target,
    readonly access: ContainerAccess,
    private readonly options: ContainerOptions = {},
  ) {
    super();
    this.target = `${describeAccess(access)}${parent.kind === 'runner' ? '' : ` on ${parent.target}`}`;
  }

  private parentTmp = '';
  private reached?: ContainerAccess;

  /**
   * How the commands reach the container. compose-exec: the service's one running container is looked up
   * once (`compose ps -q`) and then reached with `docker exec -i` — what `compose exec -T` does, without a
   * Compose start per command (docker-compose v1 is a Python program: seconds each on a loaded host). With
   * no single container (none, or the service scaled), every command keeps going through `compose exec -T`.
   */
  private async reach(opts?: ExecOptions): Promise<ContainerAccess> {
    if (this.access.kind !== 'compose-exec') return this.access;
    if (!this.reached) {
      const ps = { ...composeCommand(this.access.project, ['ps', '-q', this.access.service]), ...this.dockerEnv() };
      const r = await this.parent.run(ps, { timeoutMs: TIMEOUTS.housekeepingMs, signal: opts?.signal });
      const ids = succeeded(r)
        ? r.stdout
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
        : [];
      this.reached =
        ids.length === 1 && /^[0-9a-f]{12,64}$/.test(ids[0]!)
          ? { kind: 'docker-exec', container: ids[0]! }
          : this.access;
    }
    return this.reached;
  }

  async run(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
    const oneOff = isOneOff(this.access);
    const name = oneOff ? `${this.options.namePrefix ?? 'deploy-kit'}-${this.runId}-${++this.seqNo}` : undefined;
    const outer = containerCommand(await this.reach(opts), cmd, {
      ...(name ? { name } : {}),
      ...(oneOff && this.parentTmp ? { mounts: [`${this.parentTmp}:${this.parentTmp}`] } : {}),
      ...(this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {}),
    });
    const r = await this.parent.run(outer, opts);
    if (name && r.end !== 'exit') {
      // A client stopped by a timeout or cancel does not stop its container: remove it by name (not under
      // the caller's signal: a cancelled run must still remove what it started).
      const rm = await this.parent.run(
        { argv: ['docker', 'rm', '-f', name], ...this.dockerEnv() },
        { timeoutMs: TIMEOUTS.housekeepingMs },
      );
      // "No such container": it ended on the forwarded SIGTERM and --rm removed it already.
      if (!succeeded(rm) && !/no such container/i.test(rm.stderr)) {
        return {
          ...r,
          stderr: `${r.stderr}\ncould not remove container ${name}: ${describeFailure('docker rm', this.parent.target, rm)}`,
        };
      }
    }
    return r;
  }

  private dockerEnv(): Pick<Command, 'env'> {
    return this.options.dockerHost ? { env: { DOCKER_HOST: this.options.dockerHost } } : {};
  }

  override async tempDir(): Promise<string> {
    if (!isOneOff(this.access)) return super.tempDir();
    this.parentTmp = await this.parent.tempDir();
    return this.parentTmp;
  }

  override async writeSecretFile(content: string | Buffer, name?: string): Promise<string> {
    if (!isOneOff(this.access)) return super.writeSecretFile(content, name);
    await this.tempDir();
    return this.parent.writeSecretFile(content, name);
  }

  async upload(
    localFile: string,
    destPath?: string,
    o: TransferOptions = {},
  ): Promise<{ path: string; sha256: string }> {
    const opts = { timeoutMs: TIMEOUTS.fileTransferMs, ...o };
    if (isOneOff(this.access)) {
      const tmp = await this.tempDir();
      const dest = destPath ?? (await this.freshParentPath(tmp));
      if (!dest.startsWith(`${tmp}/`)) throw new Error(`${this.target}: files for one-off containers go under ${tmp}`);
      return this.parent.upload(localFile, dest, o);
    }
    const dest = destPath ?? (await this.freshPath('upload'));
    const staged = await this.parent.upload(localFile, undefined, o);
    const inner = containerCommand(await this.reach(o), receiveFileCommand(dest), this.spec());
    const r = await runChecked(this.parent, withStdinFile(inner, staged.path), opts);
    const there = parseSha256(r.stdout, this.target);
    if (there !== staged.sha256) throw new TransferMismatch(`upload to ${this.target}:${dest}`, staged.sha256, there);
    return { path: dest, sha256: there };
  }

  async download(path: string, localFile: string, o: TransferOptions = {}): Promise<{ sha256: string }> {
    if (isOneOff(this.access)) return this.parent.download(path, localFile, o);
    const opts = { timeoutMs: TIMEOUTS.fileTransferMs, ...o };
    const inside = parseSha256((await runChecked(this, sha256Command(path), opts)).stdout, this.target);
    const staged = posix.join(await this.parent.tempDir(), `from-container-${this.runId}-${++this.seqNo}`);
    const cat = containerCommand(
      await this.reach(o),
      { argv: ['cat', '--', path], label: `read ${path}` },
      this.spec(),
    );
    try {
      await runChecked(this.parent, withStdoutFile(cat, staged), opts);
      const { sha256 } = await this.parent.download(staged, localFile, o);
      if (sha256 !== inside) throw new TransferMismatch(`download of ${this.target}:${path}`, inside, sha256);
      return { sha256 };
    } finally {
      await this.parent.run(removeCommand(staged), { timeoutMs: TIMEOUTS.housekeepingMs });
    }
  }

  private spec(): ContainerRunSpec {
    return this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {};
  }

  private freshParentPath(tmp: string): string {
    return posix.join(tmp, `upload-${this.runId}-${++this.seqNo}`);
  }

  override async dispose(): Promise<void> {
    // One-off kinds keep their files in the parent's temp dir: the parent removes it.
    if (!isOneOff(this.access)) await super.dispose();
  }
}

/** A container reached through `parent` (the runner or an SSH host). */
export function inContainer(parent: Target, access: ContainerAccess, options: ContainerOptions = {}): ContainerTarget {
  return new ContainerTarget(parent, access, options);
}
