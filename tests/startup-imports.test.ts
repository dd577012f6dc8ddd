// What every start pays for in the bundle's module init: a namespace import of a Node built-in
// (`import * as fs from 'node:fs'`) becomes a copy of all its exports into a fresh object
// (esbuild's __toESM), ~0.1–0.2 ms each in V8's interpreter. Named imports cost nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('start-up imports', () => {
  it('no module imports a Node built-in as a namespace', () => {
    const offenders = [...sources('src'), ...sources('syscalls')].filter((f) => /^import \* as \w+ from 'node:/m.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
