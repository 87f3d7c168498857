/** One SSH destination, parsed from `[user@]host[:port]` (IPv6 as `[::1]:2222`). */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
}

export function formatTarget(t: SshTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}`;
}

const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.\-_]*[A-Za-z0-9])?$/;
/** A remote user name: never starts with `-` (it ends up in `ssh -l`/`user@host`). */
export const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseTarget(spec: string, defaults: { user: string; port: number }, inputName = 'hosts'): SshTarget {
  const raw = spec.trim();
  let user = defaults.user;
  let rest = raw;
  const at = raw.lastIndexOf('@');
  if (at >= 0) {
    user = raw.slice(0, at);
    rest = raw.slice(at + 1);
  }
  let host = rest;
  let port = defaults.port;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!m) throw new Error(`${inputName}: "${raw}" is not [user@]host[:port]`);
    host = m[1]!;
    if (m[2]) port = Number(m[2]);
    if (!HOST_RE.test(host)) {
      throw new Error(`${inputName}: "${host}" is not a valid host name or address`);
    }
  }
  if (!user) throw new Error(`${inputName}: no user for "${raw}"; set the \`user\` input or write user@host`);
  if (!USER_RE.test(user)) throw new Error(`${inputName}: "${user}" is not a valid user name`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${inputName}: port of "${raw}" must be 1-65535`);
  }
  return { host, port, user };
}
