/** The circuit-run TextMate grammar, tokenized by vscode-textmate (VS Code's own engine) on real specs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { INITIAL, IGrammar, Registry, parseRawGrammar } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';

const root = join(__dirname, '..', '..');
let grammar: IGrammar;

/** Each token of a spec's lines as [text, its innermost scopes joined]. */
function tokens(text: string): [string, string][] {
  const out: [string, string][] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push([line.slice(t.startIndex, t.endIndex), t.scopes.slice(1).join(' ')]);
    state = r.ruleStack;
  }
  return out;
}

const scopeOf = (text: string, token: string): string => {
  const found = tokens(text).find(([t]) => t === token);
  assert.ok(found, `no token ${token}`);
  return found[1];
};

describe('circuit-run grammar', () => {
  before(async () => {
    await loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new OnigScanner(p), createOnigString: (s: string) => new OnigString(s) }),
      loadGrammar: async (scope) => {
        if (scope !== 'source.circuit-run') return null;
        const path = join(root, 'syntaxes/circuit-run.tmLanguage.json');
        return parseRawGrammar(readFileSync(path, 'utf8'), path);
      },
    });
    const loaded = await registry.loadGrammar('source.circuit-run');
    assert.ok(loaded);
    grammar = loaded;
  });

  it('is the grammar package.json points at, for the language id circuit-run', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { grammars: { language: string; scopeName: string; path: string }[]; languages: { id: string; configuration: string }[] } };
    const entry = manifest.contributes.grammars.find((g) => g.language === 'circuit-run');
    assert.deepEqual(entry, { language: 'circuit-run', scopeName: 'source.circuit-run', path: './syntaxes/circuit-run.tmLanguage.json' });
    const language = manifest.contributes.languages.find((l) => l.id === 'circuit-run');
    const configuration = JSON.parse(readFileSync(join(root, language!.configuration), 'utf8')) as { comments: unknown; brackets: unknown };
    assert.deepEqual(configuration.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
    assert.deepEqual(configuration.brackets, [['{', '}'], ['[', ']']]);
  });

  it('highlights every Run key as a keyword', () => {
    for (const field of ['Image', 'Memory', 'CpuShares', 'Lxc', 'Volume', 'Dir', 'Entry', 'Env', 'Path', 'Args', 'Scrub']) {
      assert.match(scopeOf(`{ "${field}" : null }`, field), /keyword\.other\.run-field\.circuit-run/, field);
    }
  });

  it('leaves unknown keys, wrong-case keys and string values plain', () => {
    const text = '{\n  "Image": "Image",\n  "Colour": "red",\n  "image": 1\n}';
    assert.doesNotMatch(scopeOf(text, '"Colour"'), /keyword/);
    assert.match(scopeOf(text, '"Colour"'), /meta\.object-key/);
    assert.match(scopeOf(text, '"image"'), /meta\.object-key/);
    const values = tokens(text).filter(([t]) => t === 'Image');
    assert.equal(values.length, 2);
    assert.match(values[0]![1], /keyword/);
    assert.match(values[1]![1], /string\.quoted\.double/);
  });

  it('knows comments, numbers, constants, escapes, and a key followed by a comment', () => {
    const text = '// top\n{\n  "Memory" /* bytes */: 536870912, /* multi\n line */\n  "Scrub": true,\n  "Env": ["A=\\"x\\"", null],\n}';
    assert.match(scopeOf(text, '// top'.slice(2)), /comment\.line/);
    assert.match(scopeOf(text, 'Memory'), /keyword/);
    assert.match(scopeOf(text, '536870912'), /constant\.numeric/);
    assert.match(scopeOf(text, ' line '), /comment\.block/);
    assert.match(scopeOf(text, 'true'), /constant\.language/);
    assert.match(scopeOf(text, '\\"'), /constant\.character\.escape/);
    assert.match(scopeOf(text, 'null'), /constant\.language/);
  });
});
