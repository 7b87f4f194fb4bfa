/**
 * Hover in a Run spec: on a key, what the field does, its docker run flag and unit; on the Image value,
 * the image's details on the target host; on Memory, Lxc and Volume values, what they mean to the engine.
 */
import { Node, findNodeAtOffset } from 'jsonc-parser';
import { Hover, MarkupKind, Position } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunField } from '../../protocol';
import { exactField, foldedField } from '../run/fields';
import { translateLxc } from '../run/lxc';
import { formatBytes } from '../run/memory';
import { parseImageReference } from '../run/reference';
import { parseVolume } from '../run/volume';
import { fieldMarkdown, imageMarkdown } from './describe';
import { nodeRange, propertyKey, specTree } from './document';
import { SpecFacts, noFacts } from './facts';

export function specHover(doc: TextDocument, position: Position, facts: SpecFacts = noFacts): Hover | null {
  const root = specTree(doc.getText());
  if (root === undefined || root.type !== 'object') return null;
  const node = findNodeAtOffset(root, doc.offsetAt(position), false);
  if (node === undefined) return null;
  const markdown = describeNode(node, facts);
  return markdown === undefined ? null : { contents: { kind: MarkupKind.Markdown, value: markdown }, range: nodeRange(doc, node) };
}

function describeNode(node: Node, facts: SpecFacts): string | undefined {
  const parent = node.parent;
  if (parent === undefined) return undefined;
  if (parent.type === 'property' && parent.parent?.parent === undefined) {
    const key = propertyKey(parent);
    const field = key === undefined ? undefined : fieldOf(key);
    if (field === undefined) return undefined;
    if (parent.children?.[0] === node) {
      const spelling = key === field ? '' : `\n\n*Written "${key}": Circuit's Go decoder takes it as ${field}; write "${field}".*`;
      return fieldMarkdown(field) + spelling;
    }
    return describeValue(field, node, facts);
  }
  if (parent.type === 'array' && parent.parent?.type === 'property' && parent.parent.parent?.parent === undefined && node.type === 'string') {
    const key = propertyKey(parent.parent);
    const field = key === undefined ? undefined : fieldOf(key);
    if (field === 'Lxc') {
      const t = translateLxc(String(node.value));
      return 'error' in t ? t.error : `Becomes \`HostConfig.${t.setting} = ${JSON.stringify(t.value)}\` (docker run \`${t.flag} ${t.value}\`)`;
    }
    if (field === 'Volume') return describeVolume(String(node.value));
  }
  return undefined;
}

function fieldOf(key: string): RunField | undefined {
  return exactField(key) ?? foldedField(key);
}

function describeValue(field: RunField, node: Node, facts: SpecFacts): string | undefined {
  if (field === 'Memory' && node.type === 'number' && Number.isInteger(node.value) && Number(node.value) > 0) {
    return `Memory limit: ${formatBytes(Number(node.value))}${Number(node.value) % 1024 === 0 ? ` (${node.value} bytes)` : ''}`;
  }
  if (field !== 'Image' || node.type !== 'string') return undefined;
  const ref = String(node.value);
  if ('error' in parseImageReference(ref)) return undefined;
  if (facts.host === undefined) return 'No host is connected: the image cannot be looked up.';
  if (!facts.connected) return `Host ${facts.host} is not connected: the image cannot be looked up.`;
  const image = facts.image(ref);
  if (image === null) return `**${ref}** is not on host ${facts.host}: make will need to pull it.`;
  if (image === undefined) return undefined;
  return imageMarkdown(ref, facts.host, image);
}

function describeVolume(entry: string): string | undefined {
  const spec = parseVolume(entry);
  if ('code' in spec) return spec.message;
  if (spec.kind === 'anonymous') return `An anonymous volume at \`${spec.target}\` (a new, empty volume, removed with the container only by an explicit \`docker rm -v\`)`;
  const access = spec.options.includes('ro') ? 'read-only' : 'read-write';
  const options = spec.options.length > 0 ? ` (options: ${spec.options.join(', ')})` : '';
  return spec.kind === 'bind'
    ? `Binds the host path \`${spec.source}\` at \`${spec.target}\`, ${access}${options}`
    : `Mounts the named volume \`${spec.source}\` at \`${spec.target}\`, ${access}${options} (created on first use)`;
}
