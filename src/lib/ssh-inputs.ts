import { InputError, type Inputs } from './inputs.js';
import type { SshSettings } from './exec/ssh-config.js';
import { parseTarget, USER_RE, type SshTarget } from './exec/ssh-target.js';

export interface SshInputs {
  targets: SshTarget[];
  settings: SshSettings;
  passphrase?: string;
}

/**
 * The SSH inputs every SSH-capable action shares: hosts, user, port, private-key, passphrase,
 * known-hosts, insecure-skip-host-key-check, proxy-jump, connect-timeout.
 */
export function readSshInputs(inputs: Inputs, tempRoot = process.env.RUNNER_TEMP): SshInputs {
  const user = inputs.string('user');
  // Checked here so a bad value is reported as `user`, not as every host that inherits it.
  if (user && !USER_RE.test(user)) {
    throw new InputError(
      'user',
      `"${user.slice(0, 60)}" is not a valid user name (letters, digits, _ . -; not starting with - or a digit)`,
    );
  }
  const port = inputs.integer('port', 22, { min: 1, max: 65535 });
  const hostSpecs = inputs.list('hosts');
  if (hostSpecs.length === 0) throw new InputError('hosts', 'is required: one or more [user@]host[:port]');
  const targets = hostSpecs.map((h) => {
    try {
      return parseTarget(h, { user, port });
    } catch (e) {
      throw new InputError('hosts', (e as Error).message.replace(/^hosts: /, ''));
    }
  });
  const seen = new Set<string>();
  for (const t of targets) {
    const k = `${t.user}@${t.host}:${t.port}`;
    if (seen.has(k)) throw new InputError('hosts', `${k} is listed twice`);
    seen.add(k);
  }
  const privateKey = inputs.secret('private-key');
  if (!privateKey) throw new InputError('private-key', 'is required (the deploy user’s private key, from a secret)');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    throw new InputError(
      'private-key',
      'does not look like a private key; paste the whole key including the BEGIN/END lines',
    );
  }
  const insecure = inputs.boolean('insecure-skip-host-key-check', false);
  const knownHosts = inputs.raw('known-hosts');
  if (!insecure && !knownHosts) {
    const first = targets[0]!;
    throw new InputError(
      'known-hosts',
      `is required; run \`ssh-keyscan -p ${first.port} ${first.host}\` from a trusted machine and store the output as a secret (or set insecure-skip-host-key-check: true, not recommended)`,
    );
  }
  let proxyJump = inputs.raw('proxy-jump') || undefined;
  if (proxyJump) {
    try {
      const j = parseTarget(proxyJump, { user: user || 'root', port: 22 }, 'proxy-jump');
      proxyJump = `${j.user}@${j.host.includes(':') ? `[${j.host}]` : j.host}:${j.port}`;
    } catch (e) {
      throw new InputError('proxy-jump', (e as Error).message.replace(/^proxy-jump: /, ''));
    }
  }
  const passphrase = inputs.secret('passphrase') || undefined;
  return {
    targets,
    passphrase,
    settings: {
      privateKey,
      knownHosts,
      insecureSkipHostKeyCheck: insecure,
      proxyJump,
      connectTimeoutSec: Math.ceil(inputs.duration('connect-timeout', '15s', { min: 1000 }) / 1000),
      tempRoot,
    },
  };
}
