/**
 * Problems of record files in the Problems panel: invalid front matter, unknown status or
 * priority, merge-conflict markers, duplicate ids, bad settings. Saved files come from the
 * model; an open file with unsaved edits is read from its buffer as the user types
 * (debounced), and duplicate ids are looked for across both.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { Problem } from '../core/problem';
import { readRecord } from '../core/record';
import { collect } from '../core/repository';
import { Disposable } from './disposable';
import type { IncidentModel } from './model';

const TYPING_DEBOUNCE_MS = 250;

/** Owns the diagnostic collection and keeps it current. */
export class RecordDiagnostics extends Disposable {
  private readonly collection = this.register(
    vscode.languages.createDiagnosticCollection('git-incidents'),
  );
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly model: IncidentModel,
    private readonly logger: Logger,
  ) {
    super();
    this.register(model.onDidChange(() => void this.update()));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.model.isRecordFile(event.document.uri)) this.schedule();
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.model.isRecordFile(document.uri)) this.schedule();
      }),
    );
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** The diagnostics of one file, for tests. */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), TYPING_DEBOUNCE_MS);
  }

  /** Recomputes every file's diagnostics from disk results and unsaved buffers. */
  async update(): Promise<void> {
    const repo = this.model.repo;
    const generation = ++this.generation;
    if (!repo) {
      this.collection.clear();
      return;
    }
    const buffers = new Map<string, string>();
    for (const document of vscode.workspace.textDocuments) {
      const file = this.model.fileOf(document.uri);
      if (file && document.isDirty && this.model.isRecordFile(document.uri)) {
        buffers.set(file, document.getText());
      }
    }
    const results = this.model.results.filter((r) => !buffers.has(r.file));
    for (const [file, text] of buffers) results.push(readRecord(file, text, repo.readOptions));
    const { problems } = collect(results, repo.policyProblems);

    const byFile = new Map<string, Problem[]>();
    for (const problem of problems) {
      byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
    }
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const [file, list] of byFile) {
      const text = buffers.get(file) ?? (await this.textOf(file));
      entries.push([this.model.uriOf(file), list.map((p) => toDiagnostic(p, text))]);
    }
    // A newer update started while this one read files: its answer wins.
    if (generation !== this.generation || this.isDisposed) return;
    this.collection.clear();
    this.collection.set(entries);
    this.logger.debug(`diagnostics: ${problems.length} problem(s) in ${byFile.size} file(s)`);
  }

  private async textOf(file: string): Promise<string> {
    const open = vscode.workspace.textDocuments.find(
      (document) => this.model.fileOf(document.uri) === file,
    );
    if (open) return open.getText();
    return readFile(this.model.uriOf(file).fsPath, 'utf8').catch(() => '');
  }
}

/** A diagnostic on the problem's line: from its column or field key to the end of the line. */
export function toDiagnostic(problem: Problem, text: string): vscode.Diagnostic {
  const lines = text.split(/\r?\n/);
  let index = Math.min(Math.max((problem.line ?? 1) - 1, 0), Math.max(lines.length - 1, 0));
  if (problem.field) index = fieldLine(lines, problem.field, index);
  const line = lines[index] ?? '';
  const key = problem.field ? line.indexOf(`${problem.field}:`) : -1;
  const indent = line.length - line.trimStart().length;
  const start = problem.column ? problem.column - 1 : key >= 0 ? key : indent;
  const end = Math.max(line.trimEnd().length, start + 1);
  const range = new vscode.Range(index, start, index, end);

  const severity =
    problem.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : vscode.DiagnosticSeverity.Warning;
  const expected = problem.expected ? ` — expected ${problem.expected}` : '';
  const diagnostic = new vscode.Diagnostic(range, `${problem.message}${expected}`, severity);
  diagnostic.source = 'git-incidents';
  if (problem.field) diagnostic.code = problem.field;
  return diagnostic;
}

/**
 * The line of a top-level front-matter key: the problem's own line when it holds the key,
 * else the key's line in the front matter (duplicate-id problems carry a default line).
 */
function fieldLine(lines: string[], field: string, reported: number): number {
  const holds = (line: string | undefined) => line !== undefined && line.startsWith(`${field}:`);
  if (holds(lines[reported])) return reported;
  if (lines[0]?.trim() !== '---') return reported;
  for (let i = 1; i < lines.length && lines[i].trim() !== '---'; i++) {
    if (holds(lines[i])) return i;
  }
  return reported;
}
