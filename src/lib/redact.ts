/** Replaces every known secret in text with ***, longest first so overlapping secrets all vanish. */
export class Redactor {
  private secrets: string[] = [];

  add(secret: string): void {
    if (secret && secret.length >= 3 && !this.secrets.includes(secret)) {
      this.secrets.push(secret);
      this.secrets.sort((a, b) => b.length - a.length);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    // Credentials inside URLs (scheme://user:pass@host) even when not registered.
    return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi, '$1***@');
  }
}
