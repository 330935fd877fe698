/**
 * `demo`: builds (or reuses) a repository of real incidents from the shared data, and prints
 * its path on stdout alone, so `cd "$(git-incidents demo)"` works; what it did goes to stderr.
 */
import { buildDemo } from '../../core/import/demo';
import type { Command } from '../context';
import { summary } from './import';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'build (or reuse) a demo repository of real incidents and print its path',
  usage: 'demo [--out DIR] [--data DIR]',
  options: {
    out: { type: 'string' },
    data: { type: 'string' },
  },
  async run(cli) {
    const result = await buildDemo({
      out: cli.string('out'),
      data: cli.string('data'),
      logger: cli.logger,
      onProgress: (message) => cli.logger.debug(message),
    });
    if (result.reused) cli.logger.info(`demo: ${result.path} is up to date`);
    for (const { kind, result: imported } of result.imports) {
      cli.err(`${summary(kind, imported)}\n`);
    }
    cli.out(`${result.path}\n`);
    return 0;
  },
};
