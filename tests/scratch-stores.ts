// Translation stores (src/engine/translation-store.ts) in a scratch folder for one test file's
// tests, under a build id of their own; the folder goes afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { closeTranslationStores, configureTranslationStore, type StoreConfig } from '../src/engine/translation-store.js';

/** Sets the stores up for the calling file (`prefix`: the folder's name); returns the folder. */
export function useScratchStores(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let before: StoreConfig | null = null;
  beforeAll(() => {
    before = configureTranslationStore({ dir, buildId: 'test' });
  });
  afterAll(() => {
    closeTranslationStores();
    configureTranslationStore(before);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
