/**
 * Commands beyond the lifecycle and reports (importers, reviews, CI), each in its own module
 * and registered here so `main.ts` stays the same size as they are added.
 */
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import {
  ackCommand,
  closeCommand,
  escalateCommand,
  newCommand,
  reopenCommand,
  resolveCommand,
  triageCommand,
} from './commands/lifecycle';
import { postmortemCommand } from './commands/postmortem';
import { problemCommand } from './commands/problem';
import type { Command } from './context';
import { installStepHooks } from './stepHooks';

export const extraCommands: Command[] = [
  importCommand,
  demoCommand,
  postmortemCommand,
  problemCommand,
];

// `close` judges the review under the closure rules; every step notifies Slack and Teams.
installStepHooks([
  newCommand,
  triageCommand,
  ackCommand,
  escalateCommand,
  resolveCommand,
  closeCommand,
  reopenCommand,
]);
