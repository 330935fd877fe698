import * as vscode from 'vscode';

/**
 * Placeholder entry point: proves the extension loads in a real extension host. The real
 * extension replaces it; keep `activate`, `deactivate` and the `gitIncidents.hello` command
 * (or update test/extension/suite/activation.test.ts with it).
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Git Incidents', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('gitIncidents.hello', () => {
      output.info('hello');
      return 'hello';
    }),
  );

  output.info('activated');
}

/** Nothing to release by hand: everything lives in `context.subscriptions`. */
export function deactivate(): void {}
