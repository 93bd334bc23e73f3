import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIcns, ICNS_TYPES, readIcns } from '../../../scripts/packaging/write-icns.ts';

const packaging = join(import.meta.dirname, '../../../packaging');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const buf = Buffer.from(png);
  expect(buf.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe('the committed icons', () => {
  it.each([16, 24, 32, 48, 64, 128, 256, 512, 1024])('Linux %i px is a square PNG of that size', (px) => {
    expect(pngSize(readFileSync(join(packaging, `icons/${px}x${px}.png`)))).toEqual([px, px]);
  });

  it('Windows .ico holds 16 to 256 px images', () => {
    const ico = readFileSync(join(packaging, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1); // icon, not cursor
    const count = ico.readUInt16LE(4);
    // Directory entries: width and height bytes, 0 meaning 256.
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('macOS .icns has every type macOS asks for, each a PNG of its size', () => {
    const entries = readIcns(readFileSync(join(packaging, 'icon.icns')));
    expect(entries.map((e) => e.type)).toEqual(ICNS_TYPES.map((t) => t.type));
    for (const [i, { pixels }] of ICNS_TYPES.entries())
      expect(pngSize(entries[i]!.data)).toEqual([pixels, pixels]);
  });
});

describe('buildIcns', () => {
  it('writes lengths readIcns reads back', () => {
    const fake = (px: number) => Uint8Array.from({ length: px % 7 }, (_, i) => i);
    const entries = readIcns(buildIcns(fake));
    expect(entries.map((e) => [e.type, [...e.data]])).toEqual(
      ICNS_TYPES.map((t) => [t.type, [...fake(t.pixels)]]),
    );
  });

  it('refuses bytes that are not an icns file', () => {
    expect(() => readIcns(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 8]))).toThrow(/not an icns/);
  });
});
