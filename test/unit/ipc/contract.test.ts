import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../src-core/ipc/channels.ts';
import { contract, events, MAX_MELODY_STEPS, parseArgs } from '../../../src-core/ipc/contract.ts';
import { fromWire, toWire } from '../../../src-core/ipc/wire.ts';
import { PACK_LIMITS } from '../../../src-core/lessons/pack-files.ts';

describe('host API contract', () => {
  it('describes exactly the channels the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_CHANNELS].sort());
  });

  it.each([
    ['file:open-midi', [], true],
    ['file:open-midi', ['extra'], false],
    ['file:read-midi', [{ path: '/music/tune.mid' }], true],
    ['file:read-midi', [{ path: '' }], false],
    ['file:read-midi', [{ path: 42 }], false],
    ['file:read-midi', [], false],
    ['file:save-midi', [{ suggestedName: 'tune.mid', bytes: new Uint8Array([1, 2]) }], true],
    ['file:save-midi', [{ suggestedName: 'tune.mid', bytes: [1, 2] }], false],
    ['file:save-midi', [{ suggestedName: '', bytes: new Uint8Array() }], false],
    ['file:save-midi', [{ suggestedName: 'x'.repeat(300), bytes: new Uint8Array() }], false],
    ['library:recent', [], true],
  ] as const)('%s %j -> accepted: %s', (channel, args, accepted) => {
    const parsed = parseArgs(channel, args);
    expect(parsed.ok).toBe(accepted);
    if (!parsed.ok) expect(parsed.message).toMatch(new RegExp(`^Bad arguments for ${channel}`));
  });

  const packJson = new TextEncoder().encode('{"formatVersion": 1}');
  const attempt = {
    profileId: 'p1',
    packId: 'intervals',
    lessonId: 'intervals-1',
    questionKind: 'interval-name',
    score: 0.5,
    correct: false,
  };
  it.each([
    ['lessons:packs', [], true],
    ['lessons:import', [], true],
    ['lessons:import', [{ path: '/tmp/evil.zip' }], false],
    ['lessons:remove', [{ ref: 'imported/folk' }], true],
    ['lessons:remove', [{ ref: '' }], false],
    ['lessons:export', [{ suggestedName: 'folk.zip', files: { 'pack.json': packJson } }], true],
    ['lessons:export', [{ suggestedName: 'folk.zip', files: { 'pack.json': [1, 2] } }], false],
    ['lessons:export', [{ suggestedName: 'folk.zip', files: { '': packJson } }], false],
    ['lessons:draft-save', [{ files: {} }], true],
    ['lessons:draft-save', [{ files: { 'pack.json': 'text' } }], false],
    ['progress:add-profile', [{ name: 'Ada' }], true],
    ['progress:add-profile', [{ name: 'x'.repeat(501) }], false],
    ['progress:record', [attempt], true],
    ['progress:record', [{ ...attempt, score: 2 }], false],
    ['progress:record', [{ ...attempt, packId: 'Not An Id' }], false],
    ['progress:attempts', [{ profileId: 'p1' }], true],
    ['progress:attempts', [{}], false],
    ['progress:export-csv', [{ profileId: null }], true],
    ['progress:export-csv', [{}], false],
    ['progress:class-summary', [], true],
  ] as const)('%s %j -> accepted: %s', (channel, args, accepted) => {
    expect(parseArgs(channel, args).ok).toBe(accepted);
  });

  it('refuses pack files beyond the entry and size limits', () => {
    const many = Object.fromEntries(
      Array.from({ length: PACK_LIMITS.maxEntries + 1 }, (_, i) => [`${i}.mid`, new Uint8Array(1)]),
    );
    expect(parseArgs('lessons:draft-save', [{ files: many }]).ok).toBe(false);
    const chunk = new Uint8Array(PACK_LIMITS.maxFileBytes);
    const heavy = Object.fromEntries(
      Array.from({ length: PACK_LIMITS.maxTotalBytes / PACK_LIMITS.maxFileBytes + 1 }, (_, i) => [
        `${i}.mid`,
        chunk,
      ]),
    );
    expect(parseArgs('lessons:draft-save', [{ files: heavy }]).ok).toBe(false);
  });

  it('refuses melodies whose meter, key or note times are not music', () => {
    const melody = {
      notes: [{ pitch: 60, start: 0, end: 4, velocity: 80 }],
      meter: { numerator: 4, denominator: 4 },
      tempo: 120,
      key: { tonic: 'F#', mode: 'dorian' },
      length: 16,
    };
    const play = (m: object) =>
      parseArgs('midi:play', [{ melody: m, channel: 0, program: null, tempo: 120 }]).ok;
    expect(play(melody)).toBe(true);
    expect(play({ ...melody, meter: { numerator: 4, denominator: 3 } })).toBe(false);
    expect(play({ ...melody, key: { tonic: 'H', mode: 'major' } })).toBe(false);
    expect(play({ ...melody, key: { tonic: 'C##', mode: 'major' } })).toBe(false);
    expect(
      play({ ...melody, notes: [{ pitch: 60, start: 0, end: MAX_MELODY_STEPS + 1, velocity: 80 }] }),
    ).toBe(false);
    expect(play({ ...melody, length: MAX_MELODY_STEPS + 1 })).toBe(false);
    expect(
      parseArgs('midi:answer-mode', [
        {
          on: true,
          tempo: 120,
          meter: { numerator: 4, denominator: 3 },
          maxBars: 4,
          temperature: 1,
          onDevice: false,
        },
      ]).ok,
    ).toBe(false);
  });

  it('refuses a save larger than 16 MB', () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1);
    expect(parseArgs('file:save-midi', [{ suggestedName: 'a.mid', bytes: big }]).ok).toBe(false);
  });
});

describe('wire encoding for the browser bridge', () => {
  it('round-trips bytes inside nested values', () => {
    const value = {
      ok: true,
      value: { name: 'a.mid', bytes: new Uint8Array([0, 77, 84, 104, 100, 255]) },
      list: [1, 'x', null],
    };
    const back = fromWire(JSON.parse(JSON.stringify(toWire(value))));
    expect(back).toEqual(value);
    expect((back as typeof value).value.bytes).toBeInstanceOf(Uint8Array);
  });
});
