/** MIDI files in and out of Cantus. */
export { readMidi, toBpm, DRUM_CHANNEL } from './read.ts';
export type { ParsedMidi, RawNote, TrackSummary, ChannelSummary, Ticks } from './read.ts';
export { listParts, defaultPart, extractMelody } from './extract.ts';
export type { Part } from './extract.ts';
export { writeMelodyMidi } from './write.ts';
export { MIDI_LIMITS, WRITE_TICKS_PER_QUARTER } from './limits.ts';
export { checkMidiFileSize } from './scan.ts';
export { keyFromSignature, signatureOfKey } from './key-signature.ts';
export { quantizeNote, reduceToMonophony, quartersToStep } from './monophony.ts';
export type { TimedNote } from './monophony.ts';
