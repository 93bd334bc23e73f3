/**
 * Channel names of the host API, without their schemas, so the sandboxed preload can
 * list them without bundling zod. `contract.ts` must describe exactly these channels
 * (a unit test checks it).
 */
export const INVOKE_CHANNELS = [
  'app:info',
  'file:open-midi',
  'file:read-midi',
  'file:save-midi',
  'library:recent',
  'library:opened',
  'midi:ports',
  'midi:open-output',
  'midi:play',
  'midi:stop',
  'midi:panic',
  'midi:set-tempo',
  'midi:open-input',
  'midi:close-input',
  'midi:answer-mode',
  'midi:answered',
  'model:choose-folder',
  'lessons:packs',
  'lessons:import',
  'lessons:remove',
  'lessons:export',
  'lessons:draft-load',
  'lessons:draft-save',
  'progress:profiles',
  'progress:add-profile',
  'progress:record',
  'progress:attempts',
  'progress:export-csv',
  'progress:class-summary',
] as const;

/** Messages main sends to the window (menu commands, files opened from the OS, MIDI devices). */
export const EVENT_CHANNELS = [
  'menu:command',
  'file:opened-externally',
  'midi:note',
  'midi:ports-changed',
  'midi:device-lost',
  'midi:input',
  'midi:answer',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
