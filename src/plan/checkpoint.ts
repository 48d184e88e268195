// Finished simulations, one small JSON file per job key, each written atomically (temporary file, then
// rename): an interrupted plan leaves whole files or none, and `--resume` picks up every finished one.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from './sample.ts';

export interface SampleStore {
  get(key: string): Sample | undefined;
  put(key: string, sample: Sample): void;
}

export function memoryStore(): SampleStore {
  const m = new Map<string, Sample>();
  return { get: (k) => m.get(k), put: (k, x) => void m.set(k, x) };
}

/** With `resume` false existing files are ignored (and overwritten as jobs finish). */
export function directoryStore(dir: string, resume: boolean): SampleStore {
  mkdirSync(dir, { recursive: true });
  const file = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      if (!resume) return undefined;
      try {
        return (JSON.parse(readFileSync(file(key), 'utf8')) as { sample: Sample }).sample;
      } catch {
        return undefined;
      }
    },
    put(key, sample) {
      const path = file(key);
      const tmp = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, `${JSON.stringify({ key, sample })}\n`);
        renameSync(tmp, path);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    },
  };
}
