/**
 * "Show History": a record's lifecycle from git as a read-only markdown document, served
 * by a content provider so closing it never asks to save.
 */
import * as vscode from 'vscode';
import type { Incident } from '../core/record';
import type { HistoryEvent } from '../core/recordHistory';
import { formatLocal } from '../core/time';

export const HISTORY_SCHEME = 'git-incidents-history';

/** Holds the text of each history document opened in this session. */
export class HistoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens (or updates) the history document of `incident`. */
  async show(
    incident: Incident,
    events: HistoryEvent[],
    reopens: number,
    zone: string,
  ): Promise<void> {
    const uri = vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${incident.id} history.md` });
    this.texts.set(uri.toString(), historyText(incident, events, reopens, zone));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The document: a heading, then one line per event, oldest first. */
export function historyText(
  incident: Incident,
  events: HistoryEvent[],
  reopens: number,
  zone: string,
): string {
  const lines = [
    `# ${incident.id}: ${incident.title}`,
    '',
    `Status ${incident.status}; ${reopens} reopen(s). Times in ${zone}.`,
    '',
  ];
  if (events.length === 0) lines.push('No commit touches this record yet.');
  for (const event of events) {
    const who = event.author ? ` — ${event.author}` : '';
    const commit = event.commit ? ` (${event.commit.slice(0, 10)})` : '';
    lines.push(`- ${formatLocal(event.at, zone)}  ${event.text}${who}${commit}`);
  }
  return `${lines.join('\n')}\n`;
}
