/**
 * The status bar entry: how many P1/P2 records are open and the nearest SLA deadline among
 * them, ticking every second from deadlines computed once per refresh. Clicking it focuses
 * the Incidents tree.
 */
import * as vscode from 'vscode';
import { formatMinutes } from '../core/duration';
import { isOpen } from '../core/lifecycle';
import type { Incident } from '../core/record';
import { describeSla } from '../core/slaDescription';
import { closeBidi } from './bidi';
import { Disposable } from './disposable';
import { literalIcons } from './icons';
import type { IncidentModel } from './model';

/** Priorities the entry counts: the first two of the settings (P1 and P2 by default). */
const URGENT_COUNT = 2;
const TICK_MS = 1000;

interface Deadline {
  incident: Incident;
  kind: 'respond' | 'resolve';
  due: number;
}

/** The status bar item and its timer. */
export class IncidentStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('gitIncidents.status', vscode.StatusBarAlignment.Left, 50),
  );
  private counts: [string, number][] = [];
  private deadlines: Deadline[] = [];

  constructor(private readonly model: IncidentModel) {
    super();
    this.item.name = 'Git Incidents';
    this.item.command = 'gitIncidents.records.focus';
    this.register(model.onDidChange(() => this.recompute()));
    const timer = setInterval(() => this.render(), TICK_MS);
    this.register({ dispose: () => clearInterval(timer) });
    this.recompute();
  }

  /** The text shown now, for tests. */
  get text(): string {
    return this.item.text;
  }

  private recompute(): void {
    const repo = this.model.repo;
    if (!repo || this.model.state !== 'ready') {
      this.counts = [];
      this.deadlines = [];
      this.item.hide();
      return;
    }
    const urgent = Object.keys(repo.policy.priorities).slice(0, URGENT_COUNT);
    const open = this.model.set.incidents.filter(
      (i) => isOpen(i.status) && i.priority && urgent.includes(i.priority),
    );
    this.counts = urgent.map((p) => [p, open.filter((i) => i.priority === p).length]);
    const now = Date.now();
    this.deadlines = open.flatMap((incident) => {
      const { clock } = describeSla(incident, repo.policy, now);
      if (!clock?.due || clock.state === 'met' || clock.state === 'no-target') return [];
      return [{ incident, kind: clock.kind, due: clock.due }];
    });
    this.deadlines.sort((a, b) => a.due - b.due);
    this.render();
    this.item.show();
  }

  private render(): void {
    if (this.isDisposed || !this.model.repo) return;
    const now = Date.now();
    const counts = this.counts.map(([p, n]) => `${n} ${literalIcons(closeBidi(p))}`).join(' · ');
    // Limitation: a business-time deadline at closing time counts as passed once the clock
    // passes it, while the core's SLA state waits for the next business minute — the two
    // agree again at the next refresh after opening time.
    const next = this.deadlines.find((d) => d.due > now);
    const breached = this.deadlines.filter((d) => d.due <= now);
    const parts = [`$(flame) ${counts}`];
    if (next) parts.push(`$(watch) ${next.kind} in ${formatMinutes((next.due - now) / 60_000)}`);
    if (breached.length > 0) parts.push(`$(error) ${breached.length} breached`);
    const text = parts.join('  ');
    if (text !== this.item.text) this.item.text = text;
    this.item.backgroundColor =
      breached.length > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.tooltip = this.tooltip(now, next);
  }

  private tooltip(now: number, next: Deadline | undefined): vscode.MarkdownString {
    const tip = new vscode.MarkdownString();
    tip.isTrusted = false;
    tip.appendText(`Open: ${this.counts.map(([p, n]) => `${n} ${p}`).join(', ')}\n\n`);
    if (next) {
      const left = formatMinutes((next.due - now) / 60_000);
      tip.appendText(`Next deadline: ${next.incident.id} ${next.kind} in ${left}\n`);
    }
    for (const d of this.deadlines.filter((x) => x.due <= now).slice(0, 5)) {
      const late = formatMinutes((now - d.due) / 60_000);
      tip.appendText(`${d.incident.id}: ${d.kind} breached by ${late}\n`);
    }
    tip.appendText('\nClick to show the Incidents view.');
    return tip;
  }
}
