/**
 * The Action's entry point (bundled to dist/action.js by scripts/build.mjs): runs with the
 * process environment the runner sets and exits with the Action's result.
 */
import { runAction } from './run';

void runAction(process.env, (text) => process.stdout.write(text)).then((code) => {
  process.exitCode = code;
});
