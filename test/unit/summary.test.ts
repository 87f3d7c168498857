import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/lib/redact.js';
import { codeBlock, escapeCell, markdownTable, tableSection } from '../../src/lib/summary.js';

describe('summary cells', () => {
  it('a line break becomes <br> (shown as a break, not as the text &lt;br>)', () => {
    expect(escapeCell('one\ntwo\r\nthree')).toBe('one<br>two<br>three');
    const md = markdownTable(['output'], [['line 1\nline 2']]);
    expect(md).toContain('| line 1<br>line 2 |');
    expect(md).not.toContain('&lt;br>');
  });

  it('a < from the text is still escaped, next to a line break too; | and \\ too', () => {
    expect(escapeCell('<script>\nx')).toBe('&lt;script><br>x');
    expect(escapeCell('a|b\\c')).toBe('a\\|b\\\\c');
    expect(escapeCell('<br>')).toBe('&lt;br>');
  });

  it('a multi-line secret with < in a cell is redacted whole, the line breaks around it kept', () => {
    const r = new Redactor();
    const secret = 'top<secret\nsecond line';
    r.add(secret);
    const md = markdownTable(['output'], [[`start\n${secret}\nend`]]);
    expect(md).toContain('top&lt;secret<br>second line');
    const out = r.redact(md);
    expect(out).toContain('| start<br>***<br>end |');
    for (const piece of ['top', 'secret', 'second line']) expect(out).not.toContain(piece);
  });

  it('a code block: text with backtick fences cannot close it and turn the rest into Markdown', () => {
    const text = 'ok\n```\n![x](https://evil.example/p.png) <img src=x>\n````\nend';
    const md = codeBlock(text);
    const fences = md.split('\n').filter((l) => /^\s{0,3}(`{3,}|~{3,})/.test(l));
    expect(fences).toEqual(['```', '```']);
    expect(md.startsWith('\n```\nok\n')).toBe(true);
    expect(md).toContain("'''\n![x](https://evil.example/p.png) <img src=x>\n'''`\nend\n```\n");
  });

  it('a table section is left out when it has no rows', () => {
    expect(tableSection('heals', ['host'], [])).toBe('');
    expect(tableSection('heals', ['host'], [['web-1']])).toBe('\n#### heals\n| host |\n| --- |\n| web-1 |\n');
  });
});
