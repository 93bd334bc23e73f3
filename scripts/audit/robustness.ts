/**
 * `npm run audit:robustness`: hostile input through Cantus's own code, counting what happens.
 * Prints figures (for README's reliability section); exits 1 if anything crashed.
 *
 * - MIDI files: mutated copies of real files (the test fixtures, and folk-pd's when it is at
 *   ../shared) through readMidi, extractMelody (every part), buildScore and analyzeMelody, as
 *   opening a file in the window does. Each is opened, or refused with a message; an exception
 *   escaping is a crash.
 * - Lesson packs: the built-in packs zipped, then mutated byte by byte, and their pack.json with
 *   fields replaced by hostile values, through readPackArchive and validatePack.
 * - Host API calls: random arguments for every channel through dispatch, to a real host on
 *   temporary folders (every dialog cancels; MIDI is a stand-in that records calls). Each call is
 *   refused at the border or answered; an answer of 'host/failed' (a handler threw) is a crash.
 *
 *   audit/robustness.ts [--midi 10000] [--packs 2000] [--ipc 6000] [--seed 1]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import { INVOKE_CHANNELS } from '../../src-core/ipc/channels.ts';
import { readPackArchive } from '../../src-core/lessons/pack-files.ts';
import { validatePack } from '../../src-core/lessons/validate.ts';
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
import { extractMelody, listParts } from '../../src-core/midi/extract.ts';
import { readMidi } from '../../src-core/midi/read.ts';
import { createRng, type Rng } from '../../src-core/model/rng.ts';
import { buildScore } from '../../src-core/score/build-score.ts';
import { dispatch, RejectedCall } from '../../src-main/dispatch.ts';
import { createHost, type MidiPort } from '../../src-main/host-handlers.ts';
import { readPackFolder } from '../../src-main/services/pack-library.ts';

const { values } = parseArgs({
  options: {
    midi: { type: 'string', default: '10000' },
    packs: { type: 'string', default: '2000' },
    ipc: { type: 'string', default: '6000' },
    seed: { type: 'string', default: '1' },
  },
});
const repo = resolve(import.meta.dirname, '../..');
const rng = createRng(Number(values.seed));
const int = (n: number) => Math.floor(rng.next() * n);

/** One random change to the bytes: the kinds of damage files meet (and attackers make). */
function mutate(bytes: Uint8Array, r: Rng): Uint8Array {
  const at = Math.floor(r.next() * Math.max(1, bytes.length));
  const out = Array.from(bytes);
  switch (Math.floor(r.next() * 7)) {
    case 0: // flip a bit
      out[at] = (out[at] ?? 0) ^ (1 << Math.floor(r.next() * 8));
      break;
    case 1: // a byte that means something to a parser
      out[at] = [0x00, 0x7f, 0x80, 0xff, 0xf0, 0xf7, 0x2f][Math.floor(r.next() * 7)]!;
      break;
    case 2: // a length or count made huge
      out.splice(at, 4, 0x7f, 0xff, 0xff, 0xff);
      break;
    case 3: // cut off
      out.length = at;
      break;
    case 4: // bytes lost
      out.splice(at, 1 + Math.floor(r.next() * 64));
      break;
    case 5: // junk inserted
      out.splice(
        at,
        0,
        ...Array.from({ length: 1 + Math.floor(r.next() * 32) }, () => Math.floor(r.next() * 256)),
      );
      break;
    default: // a stretch repeated
      out.splice(at, 0, ...out.slice(at, at + 1 + Math.floor(r.next() * 200)));
  }
  return Uint8Array.from(out);
}

interface Tally {
  accepted: number;
  refused: number;
  crashed: number;
  slowestMs: number;
  crashes: string[];
}
const tally = (): Tally => ({ accepted: 0, refused: 0, crashed: 0, slowestMs: 0, crashes: [] });

function timed(t: Tally, what: string, run: () => boolean): void {
  const started = performance.now();
  try {
    if (run()) t.accepted++;
    else t.refused++;
  } catch (err) {
    t.crashed++;
    if (t.crashes.length < 5) t.crashes.push(`${what}: ${String(err).slice(0, 200)}`);
  }
  t.slowestMs = Math.max(t.slowestMs, performance.now() - started);
}

// ---- MIDI files
function midiSources(): Uint8Array[] {
  const fixtures = join(repo, 'test/fixtures/midi');
  const files = readdirSync(fixtures)
    .filter((f) => f.endsWith('.mid'))
    .map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  const folk = resolve(repo, '../shared/datasets/folk-pd/midi/oneills1850');
  try {
    for (const f of readdirSync(folk).slice(0, 40)) files.push(new Uint8Array(readFileSync(join(folk, f))));
  } catch {
    // Only the fixtures, then.
  }
  return files;
}

const midi = tally();
const sources = midiSources();
for (let i = 0; i < Number(values.midi); i++) {
  let bytes = sources[int(sources.length)]!;
  for (let k = 1 + int(3); k > 0; k--) bytes = mutate(bytes, rng);
  timed(midi, `MIDI file ${i}`, () => {
    const parsed = readMidi(bytes);
    if (!parsed.ok) {
      if (!parsed.error.message) throw new Error('refused without a message');
      return false;
    }
    let opened = false;
    for (const part of listParts(parsed.value)) {
      const melody = extractMelody(parsed.value, part.id);
      if (!melody.ok) continue;
      buildScore(melody.value);
      analyzeMelody(melody.value);
      opened = true;
    }
    return opened;
  });
}

// ---- lesson packs
const packZips: Uint8Array[] = [];
const packJsons: unknown[] = [];
for (const folder of readdirSync(join(repo, 'lessons'), { withFileTypes: true })) {
  if (!folder.isDirectory()) continue;
  const read = await readPackFolder(join(repo, 'lessons', folder.name));
  if (!read.files) continue;
  packZips.push(zipSync(Object.fromEntries(read.files)));
  packJsons.push(JSON.parse(new TextDecoder().decode(read.files.get('pack.json')!)));
}
const DEEP = '\u0000deep\u0000';
const hostileValues: unknown[] = [
  null,
  -1,
  1e308,
  '',
  'x'.repeat(100_000),
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\u0000\u202e',
  [],
  {},
  { __proto__: { polluted: true } },
  DEEP, // a list nested 50,000 deep, put into the text below (too deep to stringify)
  Array.from({ length: 10_000 }, () => 'C4'),
];
/** A copy of `value` with one field somewhere replaced by a hostile value. */
function replaceSomewhere(value: unknown, r: Rng): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  let node = copy as Record<string, unknown>;
  for (let depth = 0; depth < 6; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[Math.floor(r.next() * keys.length)]!;
    const child = node[key];
    if (child === null || typeof child !== 'object' || r.next() < 0.3) {
      node[key] = hostileValues[Math.floor(r.next() * hostileValues.length)];
      return copy;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

const packs = tally();
for (let i = 0; i < Number(values.packs); i++) {
  const which = int(packZips.length);
  const bytes =
    i % 2 === 0
      ? mutate(packZips[which]!, rng)
      : zipSync({
          'pack.json': strToU8(
            JSON.stringify(replaceSomewhere(packJsons[which], rng)).replace(
              JSON.stringify(DEEP),
              '['.repeat(50_000) + ']'.repeat(50_000),
            ),
          ),
        });
  timed(packs, `pack ${i}`, () => {
    const opened = readPackArchive(bytes, 'pack.zip');
    if (!opened.files) {
      if (opened.problems.some((p) => !p.message)) throw new Error('refused without a message');
      return false;
    }
    const checked = validatePack(opened.files, 'pack.zip');
    if (!checked.pack && checked.problems.some((p) => !p.message))
      throw new Error('refused without a message');
    return checked.pack !== null && opened.problems.length === 0;
  });
}

// ---- host API calls
const userData = mkdtempSync(join(tmpdir(), 'cantus-audit-'));
const midiCalls: string[] = [];
const midiPort: MidiPort = {
  ports: () => ({ ok: true, value: { inputs: [], outputs: ['Synth'] } }),
  openOutput: async () => ({ ok: true, value: null }),
  play: async () => ({ ok: true, value: { finished: true } }),
  stop: async () => void midiCalls.push('stop'),
  panic: () => void midiCalls.push('panic'),
  setTempo: () => void midiCalls.push('tempo'),
  openInput: () => ({ ok: true, value: null }),
  closeInput: () => void midiCalls.push('close input'),
  answerMode: () => ({ ok: true, value: null }),
  answered: () => void midiCalls.push('answered'),
};
const host = createHost({
  dialog: {
    chooseMidiToOpen: async () => null,
    chooseSavePath: async () => null,
    chooseModelFolder: async () => null,
    choosePackToImport: async () => null,
    chooseCsvFiles: async () => null,
    confirmReplace: async () => false,
  },
  midi: midiPort,
  userDataDir: userData,
  lessonsDir: join(repo, 'lessons'),
  version: 'audit',
  shell: 'web',
});
const ipc = { refused: 0, answered: 0, crashed: 0, crashes: [] as string[] };
const argument = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.record({ path: fc.string(), name: fc.string(), ref: fc.string(), profileId: fc.string() }),
  fc.record({ melody: fc.anything({ maxDepth: 3 }), channel: fc.integer(), tempo: fc.double() }),
);
const samples = fc.sample(fc.array(argument, { maxLength: 3 }), {
  numRuns: Number(values.ipc),
  seed: Number(values.seed),
});
for (const [i, args] of samples.entries()) {
  const channel = INVOKE_CHANNELS[i % INVOKE_CHANNELS.length]!;
  try {
    const reply = (await dispatch(host.handlers, channel, args)) as {
      ok?: boolean;
      error?: { code?: string };
    };
    if (reply?.ok === false && reply.error?.code === 'host/failed') {
      ipc.crashed++;
      if (ipc.crashes.length < 5) ipc.crashes.push(`${channel} ${JSON.stringify(args).slice(0, 120)}`);
    } else ipc.answered++;
  } catch (err) {
    if (err instanceof RejectedCall) ipc.refused++;
    else {
      ipc.crashed++;
      if (ipc.crashes.length < 5) ipc.crashes.push(`${channel}: ${String(err).slice(0, 120)}`);
    }
  }
}
await host.close();
rmSync(userData, { recursive: true, force: true });

const line = (name: string, t: Tally, total: number) =>
  `${name.padEnd(34)} ${String(total).padStart(6)} ${String(t.accepted).padStart(8)} ${String(t.refused).padStart(8)} ${String(t.crashed).padStart(8)} ${t.slowestMs.toFixed(0).padStart(9)} ms`;
console.log(`Robustness audit, seed ${values.seed} (${new Date().toISOString().slice(0, 10)})`);
console.log(
  `${''.padEnd(34)} ${'tried'.padStart(6)} ${'opened'.padStart(8)} ${'refused'.padStart(8)} ${'crashed'.padStart(8)} ${'slowest'.padStart(12)}`,
);
console.log(line(`mutated MIDI files (${sources.length} sources)`, midi, Number(values.midi)));
console.log(line(`hostile lesson packs (${packZips.length} sources)`, packs, Number(values.packs)));
console.log(
  `${'host API calls, random arguments'.padEnd(34)} ${String(samples.length).padStart(6)} ${String(ipc.answered).padStart(8)} ${String(ipc.refused).padStart(8)} ${String(ipc.crashed).padStart(8)}`,
);
for (const c of [...midi.crashes, ...packs.crashes, ...ipc.crashes]) console.log(`  crash: ${c}`);
process.exit(midi.crashed + packs.crashed + ipc.crashed > 0 ? 1 : 0);
