/**
 * The one audited path from argv to a POSIX shell string (SSH exec hands the server a string).
 *
 * Every argument is wrapped in single quotes; an embedded single quote becomes '\'' (close, escaped
 * quote, reopen). Inside single quotes a POSIX shell interprets nothing: no $, `, \, globs or
 * newlines. Arguments made only of safe characters are left bare for readability.
 */
const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) {
    throw new Error('argument contains a NUL byte, which no shell can carry');
  }
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteArg).join(' ');
}

/** Environment variable names that may be exported on a remote shell line. */
export function assertEnvName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(
      `"${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`,
    );
  }
  return name;
}
