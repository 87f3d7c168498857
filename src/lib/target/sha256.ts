/** sha256 of a runner file, streamed (node:crypto and streams load on first use, not at start-up). */
export async function sha256File(path: string): Promise<string> {
  const h = process.getBuiltinModule('node:crypto').createHash('sha256');
  const { pipeline } = process.getBuiltinModule('node:stream/promises');
  await pipeline(process.getBuiltinModule('node:fs').createReadStream(path), h);
  return h.digest('hex');
}
