import { Readable } from 'node:stream';
import { InputError } from '../../lib/inputs.js';

/**
 * age encryption of the backup stream on the runner (the `age-encryption` library: the age v1 format, so the
 * `age` CLI and every other implementation decrypt it). Loaded only when encryption is asked for.
 *
 * Fail closed: recipients are parsed and tried before anything is dumped; an encryption error mid-stream fails
 * the upload (the multipart upload is aborted, no object appears); there is no code path that sends the
 * plaintext when recipients are set.
 */

type AgeModule = typeof import('age-encryption');

async function loadAge(): Promise<AgeModule> {
  try {
    return await import('age-encryption');
  } catch (e) {
    // Bundled with the action: this only happens in a broken checkout. Never fall back to plaintext.
    throw new Error(
      `encryption is required (encrypt-recipients) but the age library did not load: ${(e as Error).message}`,
    );
  }
}

/** Suffix of an encrypted backup object. */
export const AGE_SUFFIX = '.age';

/** `encrypt-recipients`: age public keys (`age1…`), one per line or comma; `#` comments and blank lines skipped. */
export function parseRecipients(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const r = raw.trim();
    if (!r || r.startsWith('#')) continue;
    if (/^AGE-SECRET-KEY-/i.test(r)) {
      throw new InputError(
        'encrypt-recipients',
        'holds an age identity (AGE-SECRET-KEY-…), the private key: give its public key (age1…, `age-keygen -y`) and keep the identity for decrypt-identity',
      );
    }
    if (!/^age1[0-9a-z]+$/.test(r)) {
      throw new InputError(
        'encrypt-recipients',
        `"${r.slice(0, 80)}" is not an age public key (age1…; make one with age-keygen, or age-keygen -y <identity file>)`,
      );
    }
    out.push(r);
  }
  return [...new Set(out)];
}

/**
 * `decrypt-identity`: the content of an age identity file (`AGE-SECRET-KEY-1…` lines; `#` comments such as
 * age-keygen's `# public key:` are skipped). Returns the identities; each is a secret.
 */
export function parseIdentities(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(l)) {
      throw new InputError(
        'decrypt-identity',
        'is not an age identity: expected AGE-SECRET-KEY-1… lines (the file age-keygen writes)',
      );
    }
    out.push(l);
  }
  return out;
}

/** Throws (naming the input) unless every recipient is a key the library can encrypt to. Run before dumping. */
export async function checkRecipients(recipients: readonly string[]): Promise<void> {
  const age = await loadAge();
  for (const r of recipients) {
    const e = new age.Encrypter();
    try {
      e.addRecipient(r);
    } catch (err) {
      throw new InputError('encrypt-recipients', `"${r}" is not a valid age public key (${(err as Error).message})`);
    }
  }
}

/** The public key of each identity (to say which recipients a decrypt-identity matches). */
export async function identityRecipients(identities: readonly string[]): Promise<string[]> {
  const age = await loadAge();
  const out: string[] = [];
  for (const id of identities) {
    try {
      out.push(await age.identityToRecipient(id));
    } catch {
      throw new InputError('decrypt-identity', 'holds a line that is not a valid age identity');
    }
  }
  return out;
}

/** Encrypts `plain` to every recipient, streamed (64 KiB age chunks); the result is a Node stream. */
export async function encryptStream(plain: Readable, recipients: readonly string[]): Promise<Readable> {
  if (!recipients.length) throw new Error('encryptStream: no recipients (refusing to send plaintext)');
  const age = await loadAge();
  const e = new age.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  const web = await e.encrypt(Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(web as unknown as import('node:stream/web').ReadableStream<Uint8Array>);
}

/**
 * Decrypts an age stream with the identities; a wrong identity fails with a message naming decrypt-identity,
 * a truncated or altered stream fails authentication (the caller removes what was written).
 */
export async function decryptStream(cipher: Readable, identities: readonly string[], what: string): Promise<Readable> {
  if (!identities.length) {
    throw new InputError('decrypt-identity', `${what} is encrypted (age): set decrypt-identity to the age identity`);
  }
  const age = await loadAge();
  const d = new age.Decrypter();
  for (const id of identities) d.addIdentity(id);
  let web;
  try {
    web = await d.decrypt(Readable.toWeb(cipher) as unknown as ReadableStream<Uint8Array>);
  } catch (err) {
    const m = (err as Error).message;
    if (/no identity matched/i.test(m)) {
      throw new InputError(
        'decrypt-identity',
        `does not decrypt ${what}: no identity matched any of its recipients (use the identity whose public key was in encrypt-recipients when it was made)`,
      );
    }
    throw new Error(`${what}: not a readable age file (${m})`);
  }
  return Readable.fromWeb(web as unknown as import('node:stream/web').ReadableStream<Uint8Array>);
}
