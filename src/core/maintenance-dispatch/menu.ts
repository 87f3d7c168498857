/**
 * The rest of the maintenance menu: backup-db and restore-db (through backup-db's core), rollback to the
 * release that was live before (from the host's release history), maintenance-on/-off (the 503 page nginx
 * serves, which the monitor honours until its expiry), and exec of an allow-listed command. Every operation
 * takes the host's deploy lock (the one deploys take); the destructive ones (restore-db, rollback) need
 * `confirm`. Each returns a report and never throws for a failed command.
 * Loaded with `await import()` only when a menu operation runs (main.ts): status and restarts never pay for it,
 * and backup-db's core is loaded only by backup-db/restore-db.
 */
import type { Command } from '../../lib/command.js';
import { composeCommand, detectCompose, type ComposeProject } from '../../lib/compose.js';
import type { RunContext } from '../../lib/context.js';
import { runChecked, type ExecOptions } from '../../lib/exec/types.js';
import {
  appendHistoryCommand,
  markBadCommand,
  imageOf,
  isHistoryImage,
  parseHistory,
  rollbackTarget,
  type HistoryEvent,
} from '../../lib/release-history.js';
import type { Target } from '../../lib/target/types.js';
import {
  defaultMaintenancePage,
  maintenanceOffCommand,
  maintenanceOnCommand,
  parseMaintenance,
  readMaintenanceCommand,
  type MaintenanceWindow,
} from './maintenance-mode.js';
import { allowed, type MenuOperation, type MenuReport, type MenuSettings } from './menu-operations.js';
import { underHostLock } from './host-lock.js';
import { containerStatus, emptyHostReport } from './run.js';
import { servicesDown } from './status.js';

export {
  allowed,
  isMenuOperation,
  MENU_OPERATIONS,
  splitCommandLine,
  type MenuOperation,
  type MenuReport,
  type MenuSettings,
} from './menu-operations.js';

const ROLLBACK_SH = String.raw`set -eu
dir=$1; var=$2
cat -- "$dir/.deploy-kit/releases.jsonl" 2>/dev/null || true
echo "@@images"
if [ -d "$dir/.deploy-kit/images" ]; then for p in "$dir/.deploy-kit/images"/*; do [ -f "$p" ] && case "$p" in *.tmp) ;; *) printf '%s\t%s\n' "\${p##*/}" "$(head -n 1 -- "$p")" ;; esac; done; fi
echo "@@env"
if [ -f "$dir/.env" ]; then awk -v n="$var" 'index($0, n "=") == 1 { v = substr($0, length(n) + 2) } END { print v }' "$dir/.env"; fi
`.replace(/\\\$\{/g, '$' + '{');

/** What a rollback needs to know, in one call: the history, each recorded release's image, the live value. */
export function rollbackStateCommand(dir: string, variable: string): Command {
  return { argv: ['sh', '-c', ROLLBACK_SH, 'sh', dir, variable], label: 'read release history' };
}

export function parseRollbackState(stdout: string): {
  history: HistoryEvent[];
  images: Map<string, string>;
  live: string;
} {
  const [hist = '', rest = ''] = stdout.split('@@images\n');
  const [imgs = '', env = ''] = rest.split('@@env\n');
  const images = new Map<string, string>();
  for (const l of imgs.split('\n')) {
    const [id, image] = l.split('\t');
    if (id && image) images.set(id, image.trim());
  }
  return { history: parseHistory(hist), images, live: env.trim() };
}

/**
 * Where a rollback goes and with which image: `want` is `previous` (the release live before, by the history)
 * or a release id. The image comes from the history's `activate` event, else from `.deploy-kit/images/<id>`
 * (histories written before events carried it). Throws, naming what is missing, when there is nothing to do.
 */
export function pickRollback(
  st: ReturnType<typeof parseRollbackState>,
  want: string,
  where: { dir: string; host: string; imageVariable: string },
): { current: string; to: string; image: string } {
  const activations = st.history.filter((e) => e.event === 'activate');
  if (!activations.length)
    throw new Error(
      `rollback: no release history in ${where.dir}/.deploy-kit/releases.jsonl on ${where.host} (compose-deploy writes it); nothing was changed. Without it, run update with env ${where.imageVariable}=<the previous image digest>`,
    );
  const current = activations.at(-1)!.id;
  const withImage = new Set([...st.images.keys(), ...activations.filter((e) => e.image).map((e) => e.id)]);
  const to = want === 'previous' ? rollbackTarget({ history: st.history, current, existing: withImage }) : want;
  if (!to)
    throw new Error(
      `rollback: no earlier good release is recorded on ${where.host} (current: ${current}); nothing was changed`,
    );
  if (to === current) throw new Error(`rollback: ${to} is already live; nothing was changed`);
  const image = imageOf(st.history, to) ?? st.images.get(to);
  if (!image)
    throw new Error(
      `rollback: release ${to} has no recorded image (neither in the history nor in ${where.dir}/.deploy-kit/images/); nothing was changed`,
    );
  // Checked before anything changes: the history line written after the switch must not be refused then.
  if (!isHistoryImage(image))
    throw new Error(
      `rollback: the image recorded for ${to} ("${image.slice(0, 80)}") is not an image reference; nothing was changed`,
    );
  return { current, to, image };
}

const FIND_COMPOSE_SH =
  'for n in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do [ -f "$1/$n" ] && { printf "%s\\n" "$1/$n"; exit 0; }; done; echo "no compose file in $1 (compose.yaml, docker-compose.yml ...): set compose-file" >&2; exit 3';

/** The compose file Compose itself would pick in `dir` (its default names, in its order). */
export function findComposeFileCommand(dir: string): Command {
  return { argv: ['sh', '-c', FIND_COMPOSE_SH, 'sh', dir], label: 'find the compose file' };
}

const SET_ENV_SH = String.raw`set -eu
f="$1/.env"; tmp="$1/.env.deploy-kit.$$"
if [ -f "$f" ]; then
  awk -v n="$2" -v v="$3" 'index($0, n "=") == 1 { if (!d) print n "=" v; d = 1; next } { print } END { if (!d) print n "=" v }' "$f" > "$tmp"
  chmod --reference="$f" "$tmp" 2>/dev/null || true
else
  printf '%s=%s\n' "$2" "$3" > "$tmp"
fi
mv -f -- "$tmp" "$f"
`;

/** Sets one variable in the project's `.env` (other lines kept in order) by a rename: never half written. */
export function setEnvCommand(dir: string, variable: string, value: string): Command {
  if (/[\r\n]/.test(value)) throw new Error(`${variable}: a value with a line break cannot go in .env`);
  return { argv: ['sh', '-c', SET_ENV_SH, 'sh', dir, variable, value], label: `set ${variable} in .env` };
}

/** Runs one menu operation on one host, under the host's deploy lock. */
export async function runMenuOperation(
  host: Target,
  runner: Target,
  op: MenuOperation,
  s: MenuSettings,
  ctx: RunContext,
): Promise<MenuReport> {
  const started = Date.now();
  const report: MenuReport = { ...emptyHostReport(host.target, op), details: {} };
  const quiet: ExecOptions = { timeoutMs: s.timeoutMs, signal: ctx.signal };
  const run = (cmd: Command, o: ExecOptions = quiet) => runChecked(host, { ...cmd, env: { ...s.env, ...cmd.env } }, o);
  try {
    // Refusals first, before the lock: nothing is touched when the request itself is wrong.
    if (op === 'rollback' && s.confirm !== 'rollback')
      throw new Error(
        'input `confirm`: rollback switches the live release; set confirm to exactly "rollback" to proceed',
      );
    if (op === 'restore-db' && !s.confirm)
      throw new Error('input `confirm`: restore-db replaces the database contents; set confirm to the database name');
    if (op === 'exec') {
      if (!s.exec.argv.length) throw new Error('input `exec-command`: is required for exec');
      if (!allowed(s.exec.argv, s.exec.allow))
        throw new Error(
          `input \`exec-command\`: "${s.exec.argv.join(' ')}" is not in exec-allow (add the exact command line there; a last word * allows further arguments)`,
        );
    }
    if ((op === 'backup-db' || op === 'restore-db') && !s.backup) throw new Error(`${op}: backup settings missing`);

    // The host's deploy lock, as the compose operations that change something take it (host-lock.ts).
    const lock = { base: s.base, timeoutMs: s.lockTimeoutMs, owner: s.owner };
    await underHostLock(
      host,
      op,
      lock,
      ctx,
      async () => {
        switch (op) {
          case 'maintenance-on': {
            const w: MaintenanceWindow = {
              until: s.maintenance.until,
              reason: s.maintenance.message,
              by: s.maintenance.by,
              since: new Date().toISOString(),
            };
            const page = s.maintenance.page ?? defaultMaintenancePage(s.maintenance.message, w.until);
            await run(maintenanceOnCommand(s.base, w, page));
            report.details = { until: w.until, switch: `${s.base}/.deploy-kit/maintenance/on` };
            ctx.log(`${host.target}: maintenance page on until ${w.until}`);
            break;
          }
          case 'maintenance-off': {
            const before = parseMaintenance((await run(readMaintenanceCommand(s.base))).stdout);
            const r = await run(maintenanceOffCommand(s.base));
            report.details = { was: before ? `on until ${before.until || '(no end)'}` : 'off' };
            report.output = r.stdout;
            break;
          }
          case 'exec': {
            const p: ComposeProject = { flavor: await detectCompose(host, ctx.signal), ...s.compose };
            const r = await run(
              composeCommand(p, ['exec', '-T', s.exec.service, ...s.exec.argv], { label: s.exec.argv.join(' ') }),
              {
                ...quiet,
                idleTimeoutMs: s.idleTimeoutMs,
                maxBuffer: 256 * 1024,
              },
            );
            report.output = r.stdout + r.stderr;
            report.details = { service: s.exec.service, command: s.exec.argv.join(' ') };
            break;
          }
          case 'rollback': {
            const dir = s.compose.cwd ?? s.base;
            const st = parseRollbackState((await run(rollbackStateCommand(dir, s.rollback.imageVariable))).stdout);
            const { current, to, image } = pickRollback(st, s.rollback.to, {
              dir,
              host: host.target,
              imageVariable: s.rollback.imageVariable,
            });
            const p: ComposeProject = { flavor: await detectCompose(host, ctx.signal), ...s.compose };
            ctx.log(`${host.target}: rollback ${current} → ${to} (${s.rollback.imageVariable}=${image})`);
            await run(setEnvCommand(dir, s.rollback.imageVariable, image));
            try {
              await run(composeCommand(p, ['up', '-d', '--no-build', '--remove-orphans'], { label: `up ${to}` }), {
                ...quiet,
                idleTimeoutMs: s.idleTimeoutMs,
              });
              const after = await containerStatus(host, p, quiet, s.env);
              const down = after.length ? servicesDown(after) : ['(no containers)'];
              if (down.length) throw new Error(`services down after switching to ${to}: ${down.join(', ')}`);
              report.containers = after;
            } catch (e) {
              // Fail closed: put the live value back and bring the project up on it again.
              if (st.live) {
                await run(setEnvCommand(dir, s.rollback.imageVariable, st.live)).catch(() => undefined);
                await run(composeCommand(p, ['up', '-d', '--no-build', '--remove-orphans'])).catch(() => undefined);
              }
              throw new Error(`${(e as Error).message}; switched back to ${current}`);
            }
            const at = new Date().toISOString();
            await run(
              markBadCommand(dir, {
                id: current,
                at,
                reason: 'rolled back by maintenance-dispatch',
                ...(s.owner ? { run: s.owner } : {}),
              }),
            );
            await run(
              appendHistoryCommand(dir, [
                {
                  event: 'activate',
                  id: to,
                  at,
                  from: current,
                  how: 'rollback',
                  image,
                  ...(s.owner ? { run: s.owner } : {}),
                },
              ]),
            );
            report.details = { from: current, to, image };
            report.restarted = ['(changed services)'];
            break;
          }
          case 'backup-db':
          case 'restore-db': {
            let backup = s.backup!;
            if (s.backupComposeDir) {
              const file = (await run(findComposeFileCommand(s.backupComposeDir))).stdout.trim();
              backup = { ...backup, composeFiles: [file] };
            }
            const { runBackup, runRestore } = await import('../backup-db/run.js');
            const r =
              op === 'backup-db'
                ? await runBackup(backup, { host, runner }, ctx)
                : await runRestore(backup, { host, runner }, ctx);
            report.details = {
              path: r.path,
              ...(r.remotePath ? { 'remote-path': r.remotePath } : {}),
              'size-bytes': String(r.sizeBytes),
              sha256: r.sha256,
              verified: String(r.verified),
            };
            break;
          }
        }
      },
      (message) => {
        throw new Error(message);
      },
    );
    report.ok = true;
  } catch (e) {
    report.error = (e as Error).message;
  }
  report.durationMs = Date.now() - started;
  return report;
}
