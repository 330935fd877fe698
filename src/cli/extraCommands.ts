/**
 * Commands beyond the lifecycle and reports (importers, reviews, CI), each in its own module
 * and registered here so `main.ts` stays the same size as they are added.
 */
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { postmortemCommand } from './commands/postmortem';
import { problemCommand } from './commands/problem';
import type { Command } from './context';

export const extraCommands: Command[] = [
  importCommand,
  demoCommand,
  postmortemCommand,
  problemCommand,
];
