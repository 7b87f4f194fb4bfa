/** Words for fields and images, shared by hover and completion. */
import { RunField } from '../../protocol';
import { fieldInfo } from '../run/fields';
import { ImageFacts } from './facts';

/** A field's documentation as Markdown: what it does, its type, its docker run flag, its unit. */
export function fieldMarkdown(field: RunField): string {
  const info = fieldInfo[field];
  const lines = [`**${field}** (${info.type})`, '', info.doc, ''];
  if (info.flag !== undefined) lines.push(`- docker run: \`${info.flag}\``);
  if (info.unit !== undefined) lines.push(`- unit: ${info.unit}`);
  return lines.join('\n').trimEnd();
}

/** An image size as docker prints it (decimal units): 4.26 MB. */
export function imageSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${i === 0 ? value : Number(value.toFixed(value < 10 ? 2 : 1))} ${units[i]}`;
}

/** How long ago an image was created: "3 days ago". `created` in seconds, `now` in ms. */
export function imageAge(created: number, now: number): string {
  const seconds = Math.max(0, Math.round(now / 1000 - created));
  const steps: [number, string][] = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [7 * 86400, 'week'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of steps) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** An image's details on a host, as Markdown. */
export function imageMarkdown(ref: string, host: string, image: ImageFacts): string {
  const list = (values: string[] | null): string => (values === null || values.length === 0 ? '(none)' : `\`${JSON.stringify(values)}\``);
  const lines = [
    `**${ref}** on host ${host}`,
    '',
    `- id: \`${image.id.replace(/^sha256:/, '').slice(0, 12)}\``,
    `- size: ${imageSize(image.size)}`,
  ];
  if (image.created !== undefined) lines.push(`- created: ${image.created}`);
  if (image.tags.length > 0) lines.push(`- tags: ${image.tags.map((t) => `\`${t}\``).join(', ')}`);
  lines.push(`- entrypoint: ${list(image.entrypoint)}`, `- cmd: ${list(image.cmd)}`);
  if (image.workingDir) lines.push(`- working dir: \`${image.workingDir}\``);
  lines.push(`- exposed ports: ${image.exposedPorts.length > 0 ? image.exposedPorts.join(', ') : '(none)'}`);
  return lines.join('\n');
}
