/**
 * Writes a macOS .icns file from PNG files of the sizes macOS asks for. An .icns file is the
 * four bytes "icns" and its total length (big-endian), then one entry per image: a four-letter
 * type saying size and density, the entry's length including its 8-byte header, and the PNG.
 *
 *   tsx scripts/packaging/write-icns.ts OUT.icns DIR   (DIR holds 16x16.png ... 1024x1024.png)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Entry types and the pixel size each holds (the @2x types hold twice their point size). */
export const ICNS_TYPES: readonly { readonly type: string; readonly pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'ic11', pixels: 32 }, // 16 pt @2x
  { type: 'icp6', pixels: 64 },
  { type: 'ic12', pixels: 64 }, // 32 pt @2x
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic13', pixels: 256 }, // 128 pt @2x
  { type: 'ic09', pixels: 512 },
  { type: 'ic14', pixels: 512 }, // 256 pt @2x
  { type: 'ic10', pixels: 1024 }, // 512 pt @2x
];

/** Joins PNG images into .icns bytes; `pngOfSize` gives the PNG for a pixel size. */
export function buildIcns(pngOfSize: (pixels: number) => Uint8Array): Uint8Array {
  const entries = ICNS_TYPES.map(({ type, pixels }) => {
    const png = pngOfSize(pixels);
    const entry = Buffer.alloc(8 + png.length);
    entry.write(type, 0, 'latin1');
    entry.writeUInt32BE(entry.length, 4);
    entry.set(png, 8);
    return entry;
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + entries.reduce((sum, e) => sum + e.length, 0), 4);
  return Buffer.concat([header, ...entries]);
}

/** Reads the entries of .icns bytes back: type and data of each. */
export function readIcns(bytes: Uint8Array): { type: string; data: Uint8Array }[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.toString('latin1', 0, 4) !== 'icns' || buf.readUInt32BE(4) !== buf.length)
    throw new Error('not an icns file, or its length is wrong');
  const entries: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < buf.length;) {
    const length = buf.readUInt32BE(at + 4);
    if (length < 8 || at + length > buf.length) throw new Error(`bad icns entry length at ${at}`);
    entries.push({ type: buf.toString('latin1', at, at + 4), data: buf.subarray(at + 8, at + length) });
    at += length;
  }
  return entries;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [out, dir] = process.argv.slice(2);
  if (!out || !dir) throw new Error('usage: write-icns.ts OUT.icns PNG_DIR');
  writeFileSync(
    out,
    buildIcns((px) => readFileSync(join(dir, `${px}x${px}.png`))),
  );
}
