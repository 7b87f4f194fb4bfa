import * as fs from 'node:fs';
import { parse } from 'jsonc-parser';
import { MakeRequest, type Run } from '../../protocol';
import { validateRunText } from '../../server/run/validate';
import { CliError, json, problemLines } from '../format';
import type { VerbContext } from './context';

/**
 * `circuit mkdkr PATH [-f spec.json] [--scrub]`: makes a container element from a Run spec (stdin
 * without -f). The spec is checked here first with the validator the editor and the server use, and
 * every problem is printed with its line and column, as a compiler does; with an error nothing is made.
 */
export async function mkdkr(ctx: VerbContext): Promise<number> {
  const path = ctx.args[0]!;
  const file = ctx.options.get('-f');
  const text = file === undefined ? await readAll(process.stdin) : readSpec(file);
  const name = file ?? '<stdin>';
  const problems = validateRunText(text);
  if (problems.length > 0) await ctx.err(problemLines(name, text, problems));
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) throw new CliError('invalid-run', `${name}: ${errors} error${errors === 1 ? '' : 's'} in the Run spec; nothing was made`);
  // Comments and trailing commas are fine, as the editor reads them (Circuit's own example has one).
  const run = parse(text, [], { allowTrailingComma: true }) as Run;
  if (ctx.flags.has('--scrub')) run.Scrub = true;
  const server = await ctx.server();
  const element = await server.request(MakeRequest.type, { path, run });
  await ctx.out(ctx.json ? json(element) : element.id + '\n');
  return 0;
}

function readSpec(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('no-file', `cannot read the Run spec ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
