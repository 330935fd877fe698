/**
 * The metrics page's HTML: strict CSP (`default-src 'none'`), a fresh crypto nonce for the
 * one script, styles and script only from `media/dist` through `asWebviewUri`, and no inline
 * handlers. Every value the page shows is set later as text by the script.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folder the webview may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'dist');
}

/** A nonce for the script tag: 128 random bits from crypto. */
export function nonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page for `webview`. With `probe` (test mode only) the page also answers the host's
 * probe requests; see `PageProbe`.
 */
export function metricsHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  options: { probe?: boolean } = {},
): string {
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.css'));
  const once = nonce();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${once}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link href="${style}" rel="stylesheet">
  <title>Incident Metrics</title>
</head>
<body${options.probe ? ' data-probe="on"' : ''}>
  <header>
    <h1>Incident metrics</h1>
    <form id="filters" class="filters">
      <label>Since <input type="date" id="since" name="since"></label>
      <label>Until <input type="date" id="until" name="until"
        title="Records detected before this day"></label>
      <label>As of <input type="text" id="asOf" name="asOf" size="14"
        placeholder="HEAD, date or tag" title="A date (YYYY-MM-DD) or a git revision"></label>
      <button type="submit" id="apply">Apply</button>
      <button type="button" id="reset" class="secondary">Reset</button>
    </form>
    <p id="status" role="status" aria-live="polite">Waiting for data…</p>
  </header>
  <main>
    <section id="kpis" class="kpis" aria-label="Key figures"></section>
    <section class="charts">
      <figure><figcaption>Mean time to resolve per priority (hours)</figcaption>
        <div class="chart"><canvas id="mttrChart" role="img"
          aria-label="Mean time to resolve per priority"></canvas></div></figure>
      <figure><figcaption>SLA compliance per priority (%)</figcaption>
        <div class="chart"><canvas id="slaChart" role="img"
          aria-label="SLA compliance per priority"></canvas></div></figure>
      <figure><figcaption>Volume by category</figcaption>
        <div class="chart"><canvas id="volumeChart" role="img"
          aria-label="Volume by category over time"></canvas></div></figure>
      <figure><figcaption>Reopen rate per priority (%)</figcaption>
        <div class="chart"><canvas id="reopenChart" role="img"
          aria-label="Reopen rate per priority"></canvas></div></figure>
    </section>
    <section id="notes" class="notes" aria-label="Warnings and problems"></section>
  </main>
  <script nonce="${once}" src="${script}"></script>
</body>
</html>`;
}
