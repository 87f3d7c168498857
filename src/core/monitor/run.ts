/**
 * One scheduled monitor run: check, compare with the memory kept in the incident issues, open/comment/close
 * issues on state changes only, heal after restart-after failed runs (under the host's deploy lock), notify.
 */
import type { Command } from '../../lib/command.js';
import type { RunContext } from '../../lib/context.js';
import { detectCompose, composeCommand, type ComposeProject } from '../../lib/compose.js';
import { runChecked, type ExecOptions, type Executor } from '../../lib/exec/types.js';
import { acquireLock } from '../../lib/lock.js';
import { notifyAll, type Notice, type NotifyResult } from '../../lib/notify/index.js';
import { backupFreshness, type BackupFreshness } from '../backup-db/freshness.js';
import { runHealthGate, type HealthGateReport } from '../health-gate/run.js';
import {
  isActive,
  maintenanceOffCommand,
  parseMaintenance,
  readMaintenanceCommand,
} from '../maintenance-dispatch/maintenance-mode.js';
import { inspectContainers, listContainers, resourceFigures } from '../maintenance-dispatch/operations.js';
import { runMaintenance } from '../maintenance-dispatch/run.js';
import { parseInspectLines, type ContainerStatus } from '../maintenance-dispatch/status.js';
import {
  backupListCommand,
  backupProblems,
  containerProblems,
  diskCommand,
  diskProblems,
  ErrorLineCounter,
  logsSinceCommand,
  parseBackupList,
  parseDisk,
  type BackupFile,
  type DiskFigure,
} from './checks.js';
import type { MonitorConfig } from './config.js';
import {
  addComment,
  createIssue,
  labelNames,
  listIssues,
  updateIssue,
  type GitHubApi,
  type IssueJson,
} from './issues.js';
import {
  closedState,
  decide,
  emptyState,
  humanDuration,
  KINDS,
  parseStateBlock,
  withStateBlock,
  type HealRecord,
  type Kind,
  type KindState,
} from './state.js';

export const MONITOR_LABEL = 'deploy-kit-monitor';

export interface CheckResult {
  kind: Kind;
  ok: boolean;
  problems: string[];
}

export interface IncidentReport {
  kind: Kind;
  number: number;
  url: string;
  open: boolean;
  /** What this run did to it. */
  action: 'opened' | 'closed' | 'updated' | 'created (memory)' | 'none';
  failures: number;
}

export interface MonitorReport {
  state: 'up' | 'down' | 'maintenance';
  maintenance?: string;
  checks: CheckResult[];
  incidents: IncidentReport[];
  consecutiveFailures: number;
  healed: boolean;
  heals: Array<HealRecord & { target: string }>;
  health?: HealthGateReport;
  disk: Array<DiskFigure & { target: string }>;
  containers: Array<ContainerStatus & { target: string; cpu?: string; memory?: string }>;
  errorLines: { count: number; samples: string[] };
  backups: Array<{ target: string; newest?: BackupFile }>;
  /** backup-storage: what backup-db's freshness check found. */
  storage?: BackupFreshness;
  notifications: Array<{ event: string; results: NotifyResult[] }>;
}

export interface MonitorContext extends RunContext {
  /** Where the host checks run (empty when run-on is none). */
  targets: Executor[];
  now?: () => Date;
}

const KIND_TITLE: Record<Kind, string> = {
  endpoint: 'endpoint health',
  containers: 'containers',
  disk: 'disk space and inodes',
  logs: 'error lines in the logs',
  backup: 'backup freshness',
};

function stateKey(cfg: MonitorConfig, kind: Kind): string {
  return `${cfg.name}/${kind}`;
}

interface Carrier {
  issue: IssueJson;
  state: KindState;
}

/** The newest issue per state key among the monitor's issues (open ones win over closed). */
function carriers(issues: readonly IssueJson[], cfg: MonitorConfig): Map<Kind, Carrier> {
  const out = new Map<Kind, Carrier>();
  for (const kind of KINDS) {
    const key = stateKey(cfg, kind);
    const mine = issues
      .map((issue) => ({ issue, state: parseStateBlock(issue.body) }))
      .filter((c): c is Carrier => c.state?.key === key)
      .sort((a, b) =>
        a.issue.state === b.issue.state ? b.issue.number - a.issue.number : a.issue.state === 'open' ? -1 : 1,
      );
    if (mine[0]) out.set(kind, mine[0]);
  }
  return out;
}

function issueBody(cfg: MonitorConfig, kind: Kind, s: KindState): string {
  const t = cfg.thresholds;
  const lines = [
    `**${cfg.name}** · ${KIND_TITLE[kind]} — watched by the deploy-kit monitor.`,
    '',
    `This issue is opened when the check fails ${t.failuresToOpen} scheduled run(s) in a row and closed after ${t.successesToClose} passing run(s); each change of state is a comment. Between incidents it stays closed and keeps the monitor's memory.`,
  ];
  if (s.reasons.length) lines.push('', '**Last failure**', ...s.reasons.map((r) => `- ${r}`));
  lines.push('', '<sub>Do not edit the hidden block below: it is how the monitor counts runs.</sub>');
  return withStateBlock(lines.join('\n'), s);
}

function link(cfg: MonitorConfig): string {
  return cfg.runUrl ? ` ([run](${cfg.runUrl}))` : '';
}

export async function runMonitor(cfg: MonitorConfig, ctx: MonitorContext): Promise<MonitorReport> {
  const now = ctx.now?.() ?? new Date();
  const gh: GitHubApi = { ...cfg.github, signal: ctx.signal };
  const report: MonitorReport = {
    state: 'up',
    checks: [],
    incidents: [],
    consecutiveFailures: 0,
    healed: false,
    heals: [],
    disk: [],
    containers: [],
    errorLines: { count: 0, samples: [] },
    backups: [],
    notifications: [],
  };
  const quiet: ExecOptions = { timeoutMs: cfg.commandTimeoutMs, signal: ctx.signal };
  const run = (t: Executor, cmd: Command, o: ExecOptions = quiet) =>
    runChecked(t, { ...cmd, env: { ...cfg.env, ...cmd.env } }, o);
  const notify = async (n: Omit<Notice, 'source' | 'target'>) => {
    const results = await notifyAll(cfg.notify, { ...n, source: 'monitor', target: cfg.name }, ctx);
    if (results.length) report.notifications.push({ event: n.event, results });
  };

  // 1. Memory: every issue the monitor ever made (open and closed) carries one target+kind's state.
  const all = await listIssues(gh, [MONITOR_LABEL], 'all');
  const known = carriers(all, cfg);
  // Each open incident as this run leaves it untouched (no check of its kind counted, or a maintenance window).
  const openIncidents = () =>
    [...known.entries()]
      .filter(([, c]) => c.issue.state === 'open')
      .map(([kind, c]) => ({
        kind,
        number: c.issue.number,
        url: c.issue.html_url,
        open: true,
        action: 'none' as const,
        failures: c.state.failures,
      }));

  // 2. Maintenance windows: the input, an open issue with the label, or maintenance-on on a host.
  const reasons: string[] = [];
  if (cfg.maintenanceUntil && cfg.maintenanceUntil.getTime() > now.getTime())
    reasons.push(`maintenance-until ${cfg.maintenanceUntil.toISOString()}`);
  if (!reasons.length) {
    const labelled = (await listIssues(gh, [cfg.maintenanceLabel], 'open')).filter(
      (i) => !labelNames(i).includes(MONITOR_LABEL),
    );
    if (labelled[0]) reasons.push(`issue #${labelled[0].number} (label ${cfg.maintenanceLabel}): ${labelled[0].title}`);
  }
  if (cfg.lockPath) {
    for (const t of ctx.targets) {
      const w = parseMaintenance((await run(t, readMaintenanceCommand(cfg.lockPath))).stdout);
      if (!w) continue;
      if (isActive(w, now))
        reasons.push(`maintenance-on on ${t.target} until ${w.until || '(no end)'}${w.reason ? `: ${w.reason}` : ''}`);
      else {
        await run(t, maintenanceOffCommand(cfg.lockPath));
        ctx.warn(
          `${t.target}: the maintenance window ended at ${w.until}; the monitor switched the maintenance page off`,
          'maintenance',
        );
      }
    }
  }
  if (reasons.length) {
    report.state = 'maintenance';
    report.maintenance = reasons.join('; ');
    ctx.log(`maintenance window: ${report.maintenance} — no checks counted, no incident opened or closed, no heal`);
    report.incidents = openIncidents();
    report.consecutiveFailures = Math.max(0, ...[...known.values()].map((c) => c.state.failures));
    return report;
  }

  // 3. Checks. A check that cannot run fails (closed), saying why.
  const results = new Map<Kind, string[]>();
  const add = (k: Kind, problems: string[]) => results.set(k, [...(results.get(k) ?? []), ...problems]);
  if (cfg.health) {
    ctx.log(`endpoint: ${cfg.health.urls.join(', ')}`);
    report.health = await runHealthGate(cfg.health, {}, ctx.signal);
    add('endpoint', report.health.failures);
  }
  if (cfg.backupStorage) {
    try {
      report.storage = await backupFreshness(
        { kind: 'storage', storage: cfg.backupStorage },
        {
          maxAgeMs: cfg.maxBackupAgeMs,
          now,
          signal: ctx.signal,
          ...(cfg.backupDatabase ? { database: cfg.backupDatabase } : {}),
        },
      );
      add(
        'backup',
        report.storage.fresh ? [] : [`${report.storage.message} (max-backup-age): the backup schedule stopped?`],
      );
    } catch (e) {
      add('backup', [`could not list ${cfg.backupStorage.url}: ${(e as Error).message}`]);
    }
  }
  const restartsNow: Record<string, number> = {};
  const containersPrev = known.get('containers')?.state.restarts;
  for (const t of ctx.targets) {
    if (cfg.checkContainers) {
      try {
        const flavor = await detectCompose(t, ctx.signal);
        const p: ComposeProject = { flavor, ...cfg.compose };
        const ids = (await run(t, listContainers(p))).stdout.split('\n').filter(Boolean);
        const list = ids.length ? parseInspectLines((await run(t, inspectContainers(ids))).stdout) : [];
        // Resource figures are reported, not judged (a figure that cannot be read is left out).
        const figures = new Map<string, Record<string, string>>();
        if (list.length) {
          const st = await t.run({ ...resourceFigures(list.map((c) => c.id)), env: cfg.env }, quiet);
          for (const line of st.code === 0 ? st.stdout.split('\n').filter(Boolean) : []) {
            try {
              const f = JSON.parse(line) as Record<string, string>;
              figures.set(f.ID ?? f.Container ?? '', f);
            } catch {
              // not a figure line
            }
          }
        }
        report.containers.push(
          ...list.map((c) => {
            const f = figures.get(c.id.slice(0, 12)) ?? figures.get(c.id);
            return { ...c, target: t.target, ...(f ? { cpu: f.CPUPerc, memory: f.MemUsage } : {}) };
          }),
        );
        for (const c of list) restartsNow[`${t.target}/${c.name}`] = c.restarts;
        add('containers', containerProblems(list, containersPrev, cfg.maxRestarts, t.target));
        if (cfg.checkLogs && list.length) {
          const last = known.get('logs')?.state.lastRunAt;
          const since =
            last && now.getTime() - new Date(last).getTime() < 7 * 86_400_000
              ? last
              : new Date(now.getTime() - cfg.logWindowMs).toISOString();
          const counter = new ErrorLineCounter(cfg.errorPattern, new Map(list.map((c) => [c.id, c.service || c.name])));
          await run(
            t,
            logsSinceCommand(
              since,
              list.map((c) => c.id),
            ),
            {
              ...quiet,
              maxBuffer: 64 * 1024,
              onStdout: (c) => counter.push(c.toString()),
            },
          );
          counter.end();
          report.errorLines.count += counter.count;
          report.errorLines.samples.push(...counter.samples);
          add('logs', []);
        }
      } catch (e) {
        add('containers', [`${t.target}: could not check the containers: ${(e as Error).message}`]);
      }
    }
    if (cfg.diskPaths.length) {
      try {
        const figures = parseDisk((await run(t, diskCommand(cfg.diskPaths))).stdout, cfg.diskPaths);
        report.disk.push(...figures.map((f) => ({ ...f, target: t.target })));
        add(
          'disk',
          diskProblems(figures, cfg.maxDiskUsage, cfg.maxInodeUsage).map((p) => `${t.target}: ${p}`),
        );
      } catch (e) {
        add('disk', [`${t.target}: could not read disk usage: ${(e as Error).message}`]);
      }
    }
    if (cfg.backupDir) {
      try {
        const r = await t.run({ ...backupListCommand(cfg.backupDir), env: cfg.env }, quiet);
        if (r.code !== 0)
          throw new Error(
            `${cfg.backupDir} cannot be listed (${(r.stderr || r.stdout).trim().slice(0, 300)}): check \`backup-dir\` and that the user the monitor runs as may read it`,
          );
        const { problems, newest } = backupProblems(
          parseBackupList(r.stdout),
          cfg.backupDir,
          cfg.maxBackupAgeMs,
          now.getTime(),
        );
        report.backups.push({ target: t.target, newest });
        add(
          'backup',
          problems.map((p) => `${t.target}: ${p}`),
        );
      } catch (e) {
        add('backup', [`${t.target}: could not check the backups: ${(e as Error).message}`]);
      }
    }
  }
  if (report.errorLines.count > cfg.maxErrorLines)
    add('logs', [
      `${report.errorLines.count} error lines since the last run (max-error-lines ${cfg.maxErrorLines}), e.g. ${report.errorLines.samples[0] ?? ''}`,
    ]);
  report.checks = [...results.entries()].map(([kind, problems]) => ({ kind, ok: problems.length === 0, problems }));

  // 4. Decide per kind, heal if a healable kind reached restart-after.
  const decisions = report.checks.map((c) => {
    const carrier = known.get(c.kind);
    const prev = carrier?.state ?? emptyState(stateKey(cfg, c.kind));
    const d = decide(prev, c.kind, carrier?.issue.state === 'open', c.ok, c.problems, cfg.thresholds, now);
    if (c.kind === 'containers') d.next.restarts = restartsNow;
    return { check: c, carrier, ...d };
  });
  const toHeal = decisions.filter((d) => d.heal);
  if (toHeal.length && cfg.lockPath) {
    for (const t of ctx.targets) {
      const what: string[] = [];
      let ok = true;
      let lock: Awaited<ReturnType<typeof acquireLock>> | undefined;
      try {
        lock = await acquireLock(t, cfg.lockPath, {
          owner: `monitor ${cfg.runUrl ?? ''} ${now.toISOString()}`.trim(),
          timeoutMs: cfg.lockTimeoutMs,
          ttlMs: 3_600_000,
          signal: ctx.signal,
        });
        const settings = {
          compose: cfg.compose,
          backendService: cfg.healServices[0]!,
          dbService: 'db',
          logLines: 50,
          python: 'python',
          pruneOlderThanHours: 168,
        };
        const heal = await runMaintenance(t, 'heal', settings, ctx, {
          env: cfg.env,
          timeoutMs: cfg.commandTimeoutMs,
          idleTimeoutMs: cfg.commandTimeoutMs,
        });
        if (heal.restarted.length) what.push(`started ${heal.restarted.join(', ')}`);
        if (!heal.ok) {
          ok = false;
          what.push(heal.error ?? 'heal failed');
        }
        if (toHeal.some((d) => d.check.kind === 'endpoint')) {
          const p: ComposeProject = { flavor: await detectCompose(t, ctx.signal), ...cfg.compose };
          await run(
            t,
            composeCommand(p, ['restart', ...cfg.healServices], { label: `restart ${cfg.healServices.join(', ')}` }),
          );
          what.push(`restarted ${cfg.healServices.join(', ')}`);
        }
      } catch (e) {
        ok = false;
        what.push(`heal failed: ${(e as Error).message}`);
      } finally {
        const problem = await lock?.release();
        if (problem) ctx.warn(problem);
      }
      const rec = { at: now.toISOString(), what: what.join('; ') || 'nothing to start', ok };
      report.heals.push({ ...rec, target: t.target });
      for (const d of toHeal) d.next.heals.push({ ...rec, what: `${t.target}: ${rec.what}` });
      ctx.log(`heal on ${t.target}: ${rec.what}${ok ? '' : ' (FAILED)'}`);
    }
    report.healed = report.heals.some((h) => h.ok);
    if (report.heals.some((h) => !h.ok))
      await notify({
        event: 'heal-failed',
        severity: 'alert',
        title: `${cfg.name}: automatic heal failed`,
        text: report.heals
          .filter((h) => !h.ok)
          .map((h) => `${h.target}: ${h.what}`)
          .join('\n'),
        link: cfg.runUrl,
      });
    else
      await notify({
        event: 'healed',
        severity: 'info',
        title: `${cfg.name}: healed after ${toHeal[0]!.next.failures} failed runs`,
        text: report.heals.map((h) => `${h.target}: ${h.what}`).join('\n'),
        link: cfg.runUrl,
      });
  }

  // 5. Write the memory and the incidents: issues change only on state changes (plus the hidden counter).
  const labels = [MONITOR_LABEL, ...cfg.issueLabels];
  for (const d of decisions) {
    const kind = d.check.kind;
    const title = `${cfg.name}: ${KIND_TITLE[kind]}`;
    let issue = d.carrier?.issue;
    let action: IncidentReport['action'] = 'none';
    if (d.transition === 'open') {
      const body = issueBody(cfg, kind, d.next);
      const opening = [
        `🔴 **${KIND_TITLE[kind]} failing** for ${d.next.failures} run(s) in a row, since ${d.next.since}${link(cfg)}`,
        '',
        ...d.check.problems.map((p) => `- ${p}`),
      ];
      if (d.next.heals.length)
        opening.push('', ...d.next.heals.map((h) => `🔧 ${h.at}: ${h.what}${h.ok ? '' : ' (failed)'}`));
      if (issue) {
        issue = await updateIssue(gh, issue.number, { state: 'open', state_reason: 'reopened', body });
        await addComment(gh, issue.number, opening.join('\n'));
      } else {
        issue = await createIssue(gh, title, `${opening.join('\n')}\n\n---\n${body}`, labels);
      }
      action = 'opened';
      await notify({
        event: 'incident-opened',
        severity: 'alert',
        title: `${cfg.name}: ${KIND_TITLE[kind]} failing`,
        text: d.check.problems.join('\n'),
        link: issue.html_url,
        fields: { 'failed runs': String(d.next.failures), since: d.next.since ?? '' },
      });
    } else if (d.transition === 'close' && issue) {
      const prev = d.carrier!.state;
      const downFor = prev.openedAt
        ? humanDuration(now.getTime() - new Date(prev.since ?? prev.openedAt).getTime())
        : '?';
      const healed = prev.heals.filter((h) => h.ok);
      const summary = [
        `🟢 **Resolved**: ${KIND_TITLE[kind]} passed ${d.next.successes} run(s) in a row${link(cfg)}.`,
        '',
        `- failing since ${prev.since ?? prev.openedAt}, incident open ${prev.openedAt}; resolved ${now.toISOString()} (down for ${downFor})`,
        `- healed by: ${healed.length ? healed.map((h) => `${h.what} at ${h.at}`).join('; ') : 'no heal (it recovered by itself or by hand)'}`,
        ...(prev.reasons.length ? [`- last failure: ${prev.reasons.join('; ')}`] : []),
      ];
      await addComment(gh, issue.number, summary.join('\n'));
      issue = await updateIssue(gh, issue.number, {
        state: 'closed',
        state_reason: 'completed',
        body: issueBody(cfg, kind, closedState(d.next)),
      });
      action = 'closed';
      await notify({
        event: 'incident-resolved',
        severity: 'recovery',
        title: `${cfg.name}: ${KIND_TITLE[kind]} recovered after ${downFor}`,
        text: summary.slice(2).join('\n').replace(/^- /gm, ''),
        link: issue.html_url,
      });
    } else if (issue) {
      if (issue.state === 'open' && d.next.heals.length > (d.carrier?.state.heals.length ?? 0)) {
        const fresh = d.next.heals.slice(d.carrier?.state.heals.length ?? 0);
        await addComment(
          gh,
          issue.number,
          fresh.map((h) => `🔧 heal ${h.ok ? 'done' : 'FAILED'}: ${h.what}${link(cfg)}`).join('\n'),
        );
      }
      issue = await updateIssue(gh, issue.number, { body: issueBody(cfg, kind, d.next) });
      action = 'updated';
    } else if (d.next.failures > 0 || (kind === 'logs' && d.next.lastRunAt)) {
      // A failure streak (or the logs' last-read time) needs memory before any incident exists: the target's
      // issue is made once and closed at once; later streaks and incidents reuse it (reopened, never duplicated).
      if (kind === 'logs' && d.next.failures === 0) continue;
      const created = await createIssue(gh, title, issueBody(cfg, kind, d.next), labels);
      issue = await updateIssue(gh, created.number, { state: 'closed', state_reason: 'not_planned' });
      action = 'created (memory)';
    }
    if (issue)
      report.incidents.push({
        kind,
        number: issue.number,
        url: issue.html_url,
        open: issue.state === 'open',
        action,
        failures: d.next.failures,
      });
  }
  report.consecutiveFailures = Math.max(0, ...decisions.map((d) => d.next.failures));
  report.state = report.checks.some((c) => !c.ok) ? 'down' : 'up';
  // Open incidents of kinds not checked this run still count as open.
  for (const incident of openIncidents())
    if (!report.incidents.some((i) => i.kind === incident.kind)) report.incidents.push(incident);
  return report;
}
