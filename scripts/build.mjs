// Bundles the CLI and the extension with esbuild: one file each, dependencies inlined, so
// the packaged extension and the CLI need no node_modules at run time.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli.js', 0o755);

if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    format: 'cjs', external: ['vscode'] });
}
