// `npm run package`: builds, then packages the extension as a .vsix with @vscode/vsce, offline.
// `--no-dependencies`: dist/extension.js bundles every dependency, so no node_modules go in
// and npm is not asked. Prints the files inside and fails when something unexpected is there.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
const out = join(projectRoot, `${name}-${version}.vsix`);
const vsce = join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const flags = ['--no-dependencies'];
// The extension's own README: the repository's links relative paths that only resolve there.
const packageFlags = [
  ...flags,
  '--allow-missing-repository',
  '--skip-license',
  '--readme-path',
  'src/extension/README.md',
];

const run = (command, args) =>
  execFileSync(command, args, {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

run(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')]);
const files = run(process.execPath, [vsce, 'ls', ...flags])
  .trim()
  .split('\n')
  .sort();
console.log(`files in the package:\n${files.map((f) => `  ${f}`).join('\n')}`);

// Sources, tests, source maps or data in the package mean .vscodeignore let them through.
const unexpected = files.filter((f) => /^(src|test|out|node_modules)\/|\.map$|\.ts$/.test(f));
if (unexpected.length > 0) {
  console.error(`unexpected files in the package: ${unexpected.join(', ')}`);
  process.exit(1);
}

run(process.execPath, [vsce, 'package', ...packageFlags, '--out', out]);
console.log(`${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
