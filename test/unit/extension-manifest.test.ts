import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
interface Command {
  command: string;
  title: string;
  category?: string;
  enablement?: string;
}
interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: Command[]; menus: Record<string, MenuEntry[]>; views: Record<string, Array<{ id: string }>>; viewsWelcome: Array<{ view: string; when: string }> };
};
const mainSource = fs.readFileSync(path.join(root, 'extension/main.ts'), 'utf8');
const registered = [...mainSource.matchAll(/^\s*'(circuit\.[A-Za-z]+)':/gm)].map((m) => m[1]);

/** The tree menu entries that show for a tree item with this contextValue. */
function menuFor(contextValue: string, inline: boolean): string[] {
  return manifest.contributes.menus['view/item/context']!
    .filter((e) => (e.group?.startsWith('inline') ?? false) === inline)
    .filter((e) => {
      const m = /viewItem =~ \/(.*)\/$/.exec(e.when ?? '') ?? /viewItem =~ \/(.*)\/ /.exec(e.when ?? '');
      return m === null ? true : new RegExp(m[1]!).test(contextValue);
    })
    .map((e) => e.command);
}

describe('the extension manifest', () => {
  it('contributes exactly the commands main.ts registers, all in category Circuit', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...registered].sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Circuit', c.command);
  });

  it('makes no container in Restricted Mode', () => {
    const make = manifest.contributes.commands.filter((c) => c.command.startsWith('circuit.make'));
    assert.equal(make.length, 2);
    for (const c of make) assert.equal(c.enablement, 'isWorkspaceTrusted', c.command);
    const untrusted = (manifest as unknown as { capabilities: { untrustedWorkspaces: { supported: unknown } } }).capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
  });

  it('menus name only contributed commands', () => {
    const known = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) for (const e of entries) assert.ok(known.has(e.command), `${menu}: ${e.command}`);
  });

  it('offers the actions of each state in the tree', () => {
    assert.deepEqual(menuFor('element.running.live', false), ['circuit.peek', 'circuit.wait', 'circuit.openTerminal', 'circuit.signal', 'circuit.scrub', 'circuit.makeHere', 'circuit.copyPath', 'circuit.copyContainerId']);
    assert.deepEqual(menuFor('element.exited', false), ['circuit.peek', 'circuit.openTerminal', 'circuit.scrub', 'circuit.makeHere', 'circuit.copyPath', 'circuit.copyContainerId']);
    assert.deepEqual(menuFor('host.connected', false), ['circuit.makeHere', 'circuit.copyPath']);
    assert.deepEqual(menuFor('host.disconnected', false), ['circuit.copyPath']);
    assert.deepEqual(menuFor('anchor', false), ['circuit.makeHere', 'circuit.copyPath']);
    assert.deepEqual(menuFor('element.running.live', true), ['circuit.openTerminal']);
    assert.deepEqual(menuFor('element.exited', true), ['circuit.scrub']);
    assert.deepEqual(menuFor('element.created.live', true), ['circuit.peek']);
    assert.deepEqual(menuFor('anchor', true), ['circuit.makeHere']);
  });

  it('activates on the view, a spec file, and has a welcome for each connection state', () => {
    assert.ok(manifest.activationEvents.includes('onView:circuit.anchors'));
    assert.ok(manifest.activationEvents.includes('onLanguage:circuit-run'));
    assert.ok(manifest.contributes.views['circuit']?.some((v) => v.id === 'circuit.anchors'));
    const whens = manifest.contributes.viewsWelcome.map((w) => w.when).join(' | ');
    for (const state of ['starting', 'stopped', 'disconnected']) assert.match(whens, new RegExp(`circuit.connection == ${state}`));
  });
});
