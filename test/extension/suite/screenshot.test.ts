import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { screenshot } from './screenshot';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('screenshot protocol', () => {
  it('gets a PNG of the workbench from the driver', async function () {
    // Only scripts/vscode-test.mjs answers; @vscode/test-electron has no page to shoot.
    if (!process.env.GIT_INCIDENTS_SCREENSHOT_IPC) this.skip();

    const path = await screenshot('protocol-check');
    assert.ok(path, 'the driver did not answer the screenshot request');
    assert.ok(existsSync(path), `${path} was not written`);
    assert.deepEqual(readFileSync(path).subarray(0, 8), PNG_SIGNATURE);
    rmSync(path);
  });
});
