/**
 * Every `cantus` subcommand. To add one, write `commands/NAME.ts` exporting a `Command`
 * and list it here; main.ts, `--help` and the tests pick it up from this list.
 */
import type { Command } from '../command.ts';
import { infoCommand } from './info.ts';

export const COMMANDS: readonly Command[] = [infoCommand];
