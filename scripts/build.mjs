// Bundles the CLI and the extension with esbuild: one file each, dependencies inlined, so
// the packaged extension and the CLI need no node_modules at run time.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli.js', 0o755);

// The GitHub Action's entry (action.yml runs it after building; see docs/ci.md).
if (existsSync('src/action/main.ts')) {
  await build({ ...common, entryPoints: ['src/action/main.ts'], outfile: 'dist/action.js' });
}

if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    format: 'cjs', external: ['vscode'] });
}

// The metrics webview's page: a browser bundle (Chart.js inlined) and its stylesheet, both in
// media/dist, the only folder the webview may load from.
if (existsSync('media/src/metrics.ts')) {
  await build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', minify: true,
    entryPoints: ['media/src/metrics.ts'], outfile: 'media/dist/metrics.js' });
  mkdirSync('media/dist', { recursive: true });
  copyFileSync('media/metrics.css', 'media/dist/metrics.css');
}
