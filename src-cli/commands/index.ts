/**
 * Every `cantus` subcommand. To add one, write `commands/NAME.ts` exporting a `Command`
 * and list it here; main.ts, `--help` and the tests pick it up from this list.
 */
import type { Command } from '../command.ts';
import { analyzeCommand } from './analyze.ts';
import { devicesCommand } from './devices.ts';
import { generateCommand } from './generate.ts';
import { lessonsCommand } from './lessons.ts';
import { likelihoodCommand } from './likelihood.ts';
import { infoCommand } from './info.ts';
import { playCommand } from './play.ts';

export const COMMANDS: readonly Command[] = [
  infoCommand,
  devicesCommand,
  playCommand,
  generateCommand,
  likelihoodCommand,
  analyzeCommand,
  lessonsCommand,
];
