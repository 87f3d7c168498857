/**
 * Streaming tar rewriter for reproducible layers: every entry's mtime is clamped to a fixed epoch (the commit
 * time), in the ustar header (offset 136, octal or base-256) and in PAX `mtime=` records; PAX `atime`/`ctime`
 * records are dropped; header checksums (offset 148) are recomputed. Entry order, names, modes, owners and
 * data pass through untouched, so the file system the layer describes is the same, only its timestamps differ.
 */
import { Transform, type TransformCallback } from 'node:stream';

const BLOCK = 512;
/** Type flags whose size field carries no data (as Go's archive/tar reads them). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/** Reads an octal (or GNU base-256) numeric field. */
export function readNumeric(field: Uint8Array): number {
  if (field.length && (field[0]! & 0x80) !== 0) {
    if (field[0] === 0xff) return -1; // negative (pre-1970): below any epoch we clamp to
    let v = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    return v;
  }
  const text = Buffer.from(field).toString('latin1').replace(/\0.*$/s, '').trim();
  if (!text) return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`tar: bad numeric field "${text}"`);
  return parseInt(text, 8);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit an octal field of ${length}`);
  block.write(digits, offset, length - 1, 'latin1');
  block[offset + length - 1] = 0;
}

export function headerChecksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

function setChecksum(block: Buffer): void {
  const sum = headerChecksum(block);
  block.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  block[154] = 0;
  block[155] = 0x20;
}

/** Clamps a header block's mtime to `epoch` and fixes its checksum. Returns true when the mtime changed. */
export function clampHeader(block: Buffer, epoch: number): boolean {
  const mtime = readNumeric(block.subarray(136, 148));
  let changed = false;
  if (mtime > epoch) {
    block.fill(0, 136, 148);
    writeOctal(block, 136, 12, epoch);
    changed = true;
  }
  setChecksum(block);
  return changed;
}

/** Rewrites PAX records: mtime clamped, atime/ctime dropped. Exported for tests. */
export function rewritePax(data: Buffer, epoch: number): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // padding inside the declared size (seen in the wild)
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw new Error('tar: malformed PAX record (no length)');
    const len = parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) throw new Error('tar: malformed PAX record');
    const record = data.subarray(space + 1, pos + len - 1); // key=value without the trailing newline
    pos += len;
    const eq = record.indexOf(0x3d);
    const key = record.toString('utf8', 0, eq < 0 ? record.length : eq);
    if (key === 'atime' || key === 'ctime') continue;
    if (key === 'mtime') {
      const value = Number(record.toString('latin1', eq + 1));
      if (Number.isFinite(value) && value > epoch) {
        out.push(paxRecord('mtime', String(epoch)));
        continue;
      }
    }
    out.push(data.subarray(pos - len, pos));
  }
  return Buffer.concat(out);
}

export function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + 1;
  while (len !== bodyLen + String(len).length) len = bodyLen + String(len).length;
  return Buffer.from(`${len}${body}`);
}

export interface NormalizeStats {
  entries: number;
  clamped: number;
}

/** A Transform that normalizes a tar stream (see the file comment). */
export class TarNormalizer extends Transform {
  readonly stats: NormalizeStats = { entries: 0, clamped: 0 };
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of entry data (plus padding) still to pass through untouched. */
  private passthrough = 0;
  /** Set while collecting a PAX header's data. */
  private pax: { header: Buffer; size: number } | undefined;

  constructor(private readonly epoch: number) {
    super();
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`tar: bad epoch ${epoch}`);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.pax) return cb(new Error('tar: archive ends inside a PAX header'));
    if (this.passthrough > 0) return cb(new Error('tar: archive ends inside an entry'));
    if (this.pending.length) return cb(new Error('tar: archive ends inside a header block'));
    cb();
  }

  private consume(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      if (this.passthrough > 0) {
        if (buf.length === 0) return;
        const n = Math.min(this.passthrough, buf.length);
        this.push(buf.subarray(0, n));
        buf = buf.subarray(n);
        this.passthrough -= n;
        continue;
      }
      if (this.pax) {
        const padded = Math.ceil(this.pax.size / BLOCK) * BLOCK;
        if (buf.length < padded) {
          this.pending = Buffer.from(buf);
          return;
        }
        const data = rewritePax(buf.subarray(0, this.pax.size), this.epoch);
        const header = this.pax.header;
        header.fill(0, 124, 136);
        writeOctal(header, 124, 12, data.length);
        if (clampHeader(header, this.epoch)) this.stats.clamped++;
        this.push(header);
        this.push(data);
        const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
        if (pad) this.push(Buffer.alloc(pad));
        buf = buf.subarray(padded);
        this.pax = undefined;
        continue;
      }
      if (buf.length < BLOCK) {
        this.pending = Buffer.from(buf);
        return;
      }
      const header = Buffer.from(buf.subarray(0, BLOCK));
      buf = buf.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        this.push(header); // end-of-archive marker
        continue;
      }
      let stored: number;
      try {
        stored = readNumeric(header.subarray(148, 156));
      } catch {
        stored = -1;
      }
      if (stored !== headerChecksum(header)) throw new Error('tar: header checksum mismatch (not a tar stream?)');
      const type = String.fromCharCode(header[156]!);
      const size = readNumeric(header.subarray(124, 136));
      if (type === 'x' || type === 'g') {
        this.pax = { header, size };
        continue;
      }
      if (type !== 'L' && type !== 'K') this.stats.entries++; // GNU long name/link records are not entries
      if (clampHeader(header, this.epoch)) this.stats.clamped++;
      this.push(header);
      this.passthrough = HEADER_ONLY.has(type) ? 0 : Math.ceil(size / BLOCK) * BLOCK;
    }
  }
}
