// Builds the three bundles with esbuild: the language server, the VS Code extension and the CLI.
// `node scripts/build.mjs [--watch] [--minify]`
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify,
  logLevel: 'warning',
  // jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  // docker-modem's ssh transport pulls in native modules; Circuit speaks unix:// and tcp:// only.
  alias: { ssh2: './scripts/stubs/ssh2.cjs' },
  external: [],
};

const builds = [
  { ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

const fs = await import('node:fs');
const present = builds.filter((b) => fs.existsSync(b.entryPoints[0]));
if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
  console.log(`watching ${present.length} bundles`);
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
