// Starting code-server (the real VS Code, served in the browser) on loopback, with all its
// state in one temp folder: shared by the integration tests and `npm start`.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const HOST = '127.0.0.1';

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts code-server's `entry` on `port` for `folder`, writing everything into `tmp`: its
 * config, user settings, XDG folders, temp files and `code-server.log` (unless `inherit`).
 * It runs in its own process group, so stopping it reaches the extension host and watchers.
 */
export function launchCodeServer({ entry, tmp, port, folder, env: extra = {}, settings, inherit }) {
  writeFileSync(join(tmp, 'config.yaml'), `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);
  mkdirSync(join(tmp, 'data', 'User'), { recursive: true });
  writeFileSync(join(tmp, 'data', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  mkdirSync(join(tmp, 'tmp'), { recursive: true });

  const env = { ...process.env };
  // Variables of a VS Code this may be started from would confuse the one started here.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  Object.assign(env, extra, {
    // VS Code leaves sockets in the temp dir (vscode-ipc-*.sock, vscode-git-*.sock).
    TMPDIR: join(tmp, 'tmp'),
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    // Without it the workbench queries a public marketplace.
    EXTENSIONS_GALLERY: '{}',
  });

  const log = inherit ? 'inherit' : openSync(join(tmp, 'code-server.log'), 'a');
  const args = [
    entry,
    ...['--config', join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', `${HOST}:${port}`],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    ...['--user-data-dir', join(tmp, 'data'), '--extensions-dir', join(tmp, 'ext')],
    folder,
  ];
  return spawn(process.execPath, args, {
    cwd: tmp,
    env,
    detached: true,
    stdio: ['ignore', log, log],
  });
}
