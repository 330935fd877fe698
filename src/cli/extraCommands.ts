/**
 * Commands beyond the lifecycle and reports (importers, reviews, CI), each in its own module
 * and registered here so `main.ts` stays the same size as they are added.
 */
import type { Command } from './context';

export const extraCommands: Command[] = [];
