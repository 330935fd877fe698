import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from './screenshot';
import { flatten, type ItemSnapshot, testing } from './support';

/** The fixture's records; other suites add records of their own to the same workspace. */
const FIXTURE = /INC-2026(0105-chk502|0112-dbloop|0203-search|0210-sso|0302-vpn|0305-typo)$/;

/** "label count" of each group, counting fixture records only. */
function groups(roots: ItemSnapshot[]): string[] {
  return roots
    .filter((g) => g.id !== 'problems')
    .map((g) => [g.label, (g.children ?? []).filter((c) => FIXTURE.test(c.id ?? '')).length])
    .filter(([, count]) => count !== 0)
    .map(([label, count]) => `${label} ${count}`);
}

function find(items: ItemSnapshot[], id: string): ItemSnapshot {
  const item = flatten(items).find((i) => i.id?.endsWith(`/${id}`) || i.id === id);
  assert.ok(item, `no tree item ${id} in ${JSON.stringify(flatten(items).map((i) => i.id))}`);
  return item;
}

describe('Incidents tree', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('gitIncidents.groupBy', 'status');
  });

  it('groups by status in lifecycle order and lists problem files', async () => {
    const api = await testing();
    await api.refresh();
    const roots = await api.tree();
    assert.deepEqual(groups(roots), ['triaged 2', 'investigating 1', 'resolved 2', 'closed 1']);
    assert.deepEqual(
      roots.filter((g) => g.id !== 'problems').map((g) => g.id),
      [
        'group/status/triaged',
        'group/status/investigating',
        'group/status/resolved',
        'group/status/closed',
      ],
    );
    const problems = roots.at(-1);
    assert.equal(problems?.id, 'problems');
    assert.deepEqual(
      problems?.children?.map((c) => `${c.label}: ${c.description}`),
      ['INC-20260401-broken.md: line 5: unknown priority `P7`'],
    );
  });

  it('describes a record as "priority · age · assignee", its SLA in the tooltip', async () => {
    const api = await testing();
    const roots = await api.tree();
    const sso = find(roots, 'INC-20260210-sso');
    assert.equal(sso.id, 'incident/status/investigating/INC-20260210-sso');
    assert.equal(sso.label, 'Login errors for SSO users <b>&amp;</b>');
    assert.match(sso.description ?? '', /^P2 · \d+d \d+h \d+m · kim$/);
    const tooltip = (sso.tooltip ?? '').replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /\*\*SLA:\*\* resolve breached by \d+d/);
    // The title is text: HTML and entities in it are escaped, never rendered.
    assert.ok(
      tooltip.startsWith('**Login errors for SSO users &lt;b\\>&amp;amp;&lt;/b\\>**'),
      tooltip,
    );

    const closed = find(roots, 'INC-20260105-chk502');
    assert.equal(closed.description, 'P1 · closed · sam');
  });

  it('shows in the Incidents view container (screenshot)', async () => {
    await vscode.commands.executeCommand('gitIncidents.records.focus');
    await new Promise((wake) => setTimeout(wake, 1000));
    await screenshot('incidents-tree');
  });

  it('flags on each item only the steps its state allows', async () => {
    const roots = await (await testing()).tree();
    const flags = (id: string) => find(roots, id).contextValue;
    assert.equal(
      flags('INC-20260302-vpn'),
      'incident;status=triaged;priority=P3;canTriage;canAck;canEscalate;canResolve;canHistory',
    );
    assert.equal(
      flags('INC-20260210-sso'),
      'incident;status=investigating;priority=P2;canTriage;canEscalate;canResolve;canHistory',
    );
    assert.equal(
      flags('INC-20260112-dbloop'),
      'incident;status=resolved;priority=P1;canClose;canReopen;canHistory',
    );
    assert.equal(
      flags('INC-20260105-chk502'),
      'incident;status=closed;priority=P1;canReopen;canHistory',
    );
  });

  it('regroups by priority, service and team, remembers it, keeps ids stable', async () => {
    const api = await testing();
    await vscode.commands.executeCommand('gitIncidents.groupBy', 'priority');
    assert.equal(vscode.workspace.getConfiguration('gitIncidents').get('groupBy'), 'priority');
    let roots = await api.tree();
    assert.deepEqual(groups(roots), ['P1 2', 'P2 2', 'P3 1', 'P4 1']);
    const before = flatten(roots).map((i) => i.id);
    await api.refresh();
    assert.deepEqual(
      flatten(await api.tree()).map((i) => i.id),
      before,
    );

    await vscode.commands.executeCommand('gitIncidents.groupBy', 'team');
    roots = await api.tree();
    assert.deepEqual(groups(roots), ['data 2', 'identity 1', 'it 1', 'payments 1', 'web 1']);
    await vscode.commands.executeCommand('gitIncidents.groupBy', 'service');
    roots = await api.tree();
    assert.ok(roots.some((g) => g.label === 'checkout-api'));
  });
});
