/** Tiny helpers to write MIDI bytes by hand in tests, so each malformed case is visible. */

export const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
export const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
export const u32 = (n: number): number[] => [
  (n >>> 24) & 0xff,
  (n >>> 16) & 0xff,
  (n >>> 8) & 0xff,
  n & 0xff,
];

/** A MIDI variable-length quantity. */
export function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (let rest = Math.floor(n / 128); rest > 0; rest = Math.floor(rest / 128))
    out.unshift((rest & 0x7f) | 0x80);
  return out;
}

export function header(
  o: { format?: number; tracks?: number; division?: number; length?: number } = {},
): number[] {
  return [
    ...ascii('MThd'),
    ...u32(o.length ?? 6),
    ...u16(o.format ?? 0),
    ...u16(o.tracks ?? 1),
    ...u16(o.division ?? 480),
  ];
}

/** A chunk; `declared` overrides the length written in its header. */
export function chunk(id: string, data: readonly number[], declared = data.length): number[] {
  return [...ascii(id), ...u32(declared), ...data];
}

export const track = (...events: (readonly number[])[]): number[] => chunk('MTrk', events.flat());

export const END = [0x00, 0xff, 0x2f, 0x00];
export const on = (delta: number, ch: number, pitch: number, velocity = 80): number[] => [
  ...vlq(delta),
  0x90 | ch,
  pitch,
  velocity,
];
export const off = (delta: number, ch: number, pitch: number): number[] => [
  ...vlq(delta),
  0x80 | ch,
  pitch,
  0,
];
export const tempo = (delta: number, microseconds: number): number[] => [
  ...vlq(delta),
  0xff,
  0x51,
  0x03,
  (microseconds >> 16) & 0xff,
  (microseconds >> 8) & 0xff,
  microseconds & 0xff,
];
export const timeSig = (delta: number, num: number, denPower: number): number[] => [
  ...vlq(delta),
  0xff,
  0x58,
  0x04,
  num,
  denPower,
  24,
  8,
];
export const keySig = (delta: number, sharps: number, minor: number): number[] => [
  ...vlq(delta),
  0xff,
  0x59,
  0x02,
  sharps & 0xff,
  minor,
];
export const name = (delta: number, text: string): number[] => [
  ...vlq(delta),
  0xff,
  0x03,
  ...vlq(text.length),
  ...ascii(text),
];

export const file = (...parts: (readonly number[])[]): Uint8Array => Uint8Array.from(parts.flat());

/** A small valid file: one track, C4 then E4 as quarter notes at 480 ticks per quarter. */
export const twoNotes = (): Uint8Array =>
  file(header(), track(on(0, 0, 60), off(480, 0, 60), on(0, 0, 64), off(480, 0, 64), END));

/** True when `message` reads as a sentence for people: capital first, full stop last, no leaks. */
export function isReadableSentence(message: string): boolean {
  return (
    /^[A-Z]/.test(message) &&
    /[.]$/.test(message) &&
    !/undefined|NaN|\[object|null|Error|\n|\bat .*:\d+:\d+/.test(message) &&
    message.length < 400
  );
}
