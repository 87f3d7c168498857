/**
 * Markdown for job summaries; every cell escaped so output from servers cannot break the table. `<` is escaped
 * before line breaks become `<br>`, so a break shows as a break and text from a server never opens a tag.
 */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') + '\n';
}

export function heading(text: string, level = 3): string {
  return `${'#'.repeat(level)} ${text}\n`;
}
