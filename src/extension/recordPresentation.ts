/**
 * How one record looks in a list: its icon and colour by priority, the description
 * "priority · age · assignee", a tooltip with the SLA state, and the context flags that
 * menus match (`incident;status=triaged;priority=P2;canAck;canResolve`).
 */
import * as vscode from 'vscode';
import type { StepKind } from '../core/availableSteps';
import { isOpen } from '../core/lifecycle';
import type { Policy } from '../core/policy';
import type { Incident } from '../core/record';
import { ageText, describeSla } from '../core/slaDescription';
import { closeBidi } from './bidi';

const FLAG: Record<StepKind, string> = {
  triage: 'canTriage',
  ack: 'canAck',
  escalate: 'canEscalate',
  resolve: 'canResolve',
  close: 'canClose',
  reopen: 'canReopen',
};

/** The context value of a record: kind, state, then one flag per allowed step. */
export function contextValueOf(incident: Incident, steps: StepKind[]): string {
  const parts = ['incident', `status=${incident.status}`];
  if (incident.priority) parts.push(`priority=${incident.priority}`);
  parts.push(...steps.map((step) => FLAG[step]), 'canHistory');
  return parts.join(';');
}

const PRIORITY_LOOK: Record<string, [icon: string, color: string]> = {
  P1: ['flame', 'charts.red'],
  P2: ['warning', 'charts.orange'],
  P3: ['info', 'charts.yellow'],
  P4: ['circle-outline', 'charts.blue'],
};

/** A codicon coloured by priority; resolved and closed records show a check instead. */
export function iconOf(incident: Incident): vscode.ThemeIcon {
  const [icon, color] = PRIORITY_LOOK[incident.priority ?? ''] ?? ['question', 'charts.purple'];
  if (incident.status === 'closed') return new vscode.ThemeIcon('pass-filled', themeColor(color));
  if (incident.status === 'resolved') return new vscode.ThemeIcon('pass', themeColor(color));
  return new vscode.ThemeIcon(icon, themeColor(color));
}

function themeColor(id: string): vscode.ThemeColor {
  return new vscode.ThemeColor(id);
}

/** "P2 · 3d 4h 10m · kim": the parts that exist, joined. */
export function descriptionOf(incident: Incident, now: number): string {
  const age = isOpen(incident.status) ? ageText(incident, now) : incident.status;
  return [incident.priority ?? 'no priority', age, incident.assignee]
    .filter((part): part is string => !!part)
    .map(closeBidi)
    .join(' · ');
}

/** The tooltip: every value escaped as text, untrusted, with the SLA clock in words. */
export function tooltipOf(incident: Incident, policy: Policy, now: number): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  const line = (label: string, value: string | undefined) => {
    if (!value) return;
    tip.appendMarkdown(`**${label}:** `);
    appendPlain(tip, value);
    tip.appendMarkdown('  \n');
  };
  tip.appendMarkdown('**');
  appendPlain(tip, incident.title);
  tip.appendMarkdown('**  \n');
  line('Id', incident.id);
  line('Status', incident.status);
  const name = incident.priority ? policy.priorities[incident.priority]?.name : undefined;
  line(
    'Priority',
    incident.priority && (name ? `${incident.priority} (${name})` : incident.priority),
  );
  line('SLA', describeSla(incident, policy, now).text || 'no target');
  line('Category', incident.category);
  line('Service', incident.services.join(', '));
  line('Team', incident.team);
  line('Assignee', incident.assignee);
  line('File', incident.file);
  return tip;
}

/**
 * Appends text that must read exactly as written. `appendText` escapes markdown syntax but
 * leaves `&` and `<`, so an entity such as `&amp;` in a title would render as `&`; and it
 * leaves `:` and `@`, so a URL or an e-mail address in a title would become a link (GitHub
 * markdown links them bare). Both are escaped after `appendText`, which doubles backslashes.
 */
function appendPlain(markdown: vscode.MarkdownString, text: string): void {
  const escaped = new vscode.MarkdownString()
    .appendText(text.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .value.replace(/[:@]/g, '\\$&')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, -1)}\\.`);
  markdown.appendMarkdown(escaped);
}
