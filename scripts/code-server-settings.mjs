// Adds the defaults of scripts/code-server-settings.json that a code-server settings file lacks, keeping
// every value (and comment) the user wrote. `node scripts/code-server-settings.mjs <settings.json>`
import * as fs from 'node:fs';
import { applyEdits, modify, parse } from 'jsonc-parser';

const file = process.argv[2];
const defaults = JSON.parse(fs.readFileSync(new URL('./code-server-settings.json', import.meta.url), 'utf8'));
let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}';
const errors = [];
const current = parse(text, errors, { allowTrailingComma: true });
if (errors.length > 0 || typeof current !== 'object' || current === null || Array.isArray(current)) {
  console.error(`[start] ${file} is not a JSON object; leaving it as it is`);
  process.exit(0);
}
for (const [key, value] of Object.entries(defaults)) {
  if (key in current) continue;
  text = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
}
fs.writeFileSync(file, text);
