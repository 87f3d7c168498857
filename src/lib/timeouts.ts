/**
 * Every fixed time limit of the suite, named once. Limits a user sets come from inputs (durations);
 * these bound the small housekeeping commands around them, so that no step can hang for ever.
 */
export const TIMEOUTS = {
  /** A probe that answers at once when the program is there (`docker compose version`, `test -x`). */
  probeMs: 20_000,
  /** A tool's version or a quick query (`docker version`, `mongodump --version`). */
  toolQueryMs: 30_000,
  /** Housekeeping on a target: mktemp, writing a secret file, rm -rf of a temp dir, sha256sum, a lock step. */
  housekeepingMs: 60_000,
  /** A remote step that touches many files (prepare, switch, prune of a releases layout). */
  remoteStepMs: 120_000,
  /** Stopping a remote command's process group after a cancel or timeout. */
  remoteStopMs: 20_000,
  /** Starting the shared SSH master connection (ConnectTimeout bounds the connect itself). */
  sshMasterStartMs: 60_000,
  /** Stopping the SSH master connections at the end of a run. */
  sshMasterStopMs: 10_000,
  /** Removing a passphrase from the run's copy of the key. */
  keyUnlockMs: 30_000,
  /** A migration status read by the release phase (Django showmigrations, alembic current). */
  migrationStatusMs: 300_000,
  /** Moving one file to or from a target (a backup can be large): an upper bound, never a target. */
  fileTransferMs: 6 * 3_600_000,
  /** Releasing a deploy lock (not tied to the run's signal: a cancelled run must still let go). */
  unlockMs: 30_000,
  /** How old a deploy lock held by the release phase may get before it is reported as stale. */
  releaseLockTtlMs: 3_600_000,
  /** One registry HTTP request when the action gives no timeout. */
  registryRequestMs: 120_000,
  /** The least time a source tarball upload to a PaaS's storage gets (request-timeout when that is longer). */
  sourceUploadMinMs: 120_000,
  /** One GitHub API request. */
  githubApiMs: 30_000,
  /** Opening a TCP/TLS connection to a service (an S3 endpoint). */
  connectMs: 15_000,
  /** A request that cleans up after a failure or a cancel (abort a multipart upload, a final deployment status). */
  cleanupRequestMs: 30_000,
  /** Grace between SIGTERM and SIGKILL when a local process group is stopped. */
  killGraceMs: 2_000,
} as const;
