import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner protocol an action speaks, as GitHub documents it (workflow commands on stdout, file commands
 * in GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY), in the few lines this suite needs. It replaces
 * @actions/core at run time: that package loads an HTTP client (for OIDC tokens) on import, which was most of
 * every bundle's start-up cost. Formats are the same as @actions/core 3 writes.
 */

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` on stdout. */
export function issueCommand(name: string, props: Record<string, string | undefined>, message: string): void {
  const p = Object.entries(props)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${escapeProperty(v!)}`)
    .join(',');
  process.stdout.write(`::${name}${p ? ` ${p}` : ''}::${escapeData(message)}${EOL}`);
}

/** An input as the runner passes it (INPUT_<NAME>), trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function setSecret(value: string): void {
  issueCommand('add-mask', {}, value);
}

export function info(line: string): void {
  process.stdout.write(line + EOL);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function warning(message: string, title?: string): void {
  issueCommand('warning', { title }, message);
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  issueCommand('error', {}, message);
}

/** `name<<delimiter … delimiter` into GITHUB_<kind>, the delimiter random per value. */
function fileCommand(kind: 'OUTPUT' | 'STATE', name: string, value: string): void {
  const path = process.env[`GITHUB_${kind}`];
  if (!path) {
    // Outside a runner (or an old one): the deprecated stdout form.
    issueCommand(kind === 'OUTPUT' ? 'set-output' : 'save-state', { name }, value);
    return;
  }
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${process.getBuiltinModule('node:crypto').randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('value contains the delimiter');
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

export function setOutput(name: string, value: string): void {
  fileCommand('OUTPUT', name, value);
}

export function saveState(name: string, value: string): void {
  fileCommand('STATE', name, value);
}

/** Appends markdown to the job summary (no-op outside a runner). */
export function appendSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (path) appendFileSync(path, markdown, { encoding: 'utf8' });
}
