// The bridges' declarations compile against the installed package, for
// `import` (nodenext ESM) and `require` (nodenext CJS) users.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createProject, root } from './support/project.mjs';

let project;
before(() => {
  project = createProject('types');
});
after(() => project?.cleanup());

const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
const compile = (file) => spawnSync(tsc, ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
  '--target', 'es2022', '--lib', 'es2022,dom', '--skipLibCheck', 'false', file], { cwd: project.dir, encoding: 'utf8' });

for (const ext of ['mts', 'cts']) {
  test(`the bridge declarations type-check (.${ext})`, () => {
    // In a .cts file the same imports compile to require() and resolve the `require` conditions.
    const source = fs.readFileSync(new URL('./support/types-check.ts', import.meta.url), 'utf8');
    project.write(`check.${ext}`, source);
    const r = compile(`check.${ext}`);
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
}
