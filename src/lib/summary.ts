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

/** A level-4 heading and its table; nothing at all when there are no rows (a section is shown only when it has rows). */
export function tableSection(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  return rows.length ? '\n' + heading(title, 4) + markdownTable(header, rows) : '';
}

/**
 * Text from a server, a log or an error as a fenced block. Every run of three backticks in it is broken, so
 * the text cannot close the fence and have the rest of it read as Markdown (links, images, HTML).
 */
export function codeBlock(text: string): string {
  return '\n```\n' + text.replace(/```/g, "'''") + '\n```\n';
}
