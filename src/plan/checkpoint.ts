// Finished simulations, one small JSON file per job key, each written atomically (an exclusive temporary,
// then rename): an interrupted plan leaves whole files or none, and `--resume` picks up every finished
// one. A file is trusted only if its shape is right, the key inside is the one its name says and it
// belongs to this plan's scenario; any other is named through onRejected and simulated again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory, writeFileAtomic } from '../io/index.ts';
import { checkpointFile } from './checkpoint-schema.ts';
import type { Sample } from './sample.ts';

export interface SampleStore {
  get(key: string): Sample | undefined;
  put(key: string, sample: Sample): void;
}

export function memoryStore(): SampleStore {
  const m = new Map<string, Sample>();
  return { get: (k) => m.get(k), put: (k, x) => void m.set(k, x) };
}

export interface DirectoryStoreOptions {
  /** scenarioHash of the plan's scenario; files of another scenario are rejected. */
  scenarioHash?: string;
  /** Told of each file found but not trusted, and why. */
  onRejected?: (file: string, why: string) => void;
}

/** With `resume` false existing files are ignored (and overwritten as jobs finish). */
export function directoryStore(dir: string, resume: boolean, o: DirectoryStoreOptions = {}): SampleStore {
  makeDirectory(dir);
  const file = (key: string) => join(dir, `${key}.json`);
  const hash = o.scenarioHash ?? '';
  return {
    get(key) {
      if (!resume) return undefined;
      const path = file(key);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
      const why = rejection(text, key, hash);
      if (typeof why === 'string') {
        o.onRejected?.(path, why);
        return undefined;
      }
      return why;
    },
    put(key, sample) {
      writeFileAtomic(file(key), `${JSON.stringify({ key, scenario: hash, sample })}\n`);
    },
  };
}

/** The sample, or why the file cannot be trusted. */
function rejection(text: string, key: string, hash: string): Sample | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'is not valid JSON';
  }
  const parsed = checkpointFile.safeParse(json);
  if (!parsed.success) return `does not have the shape of a checkpoint (${parsed.error.issues[0]?.message})`;
  if (parsed.data.key !== key) return `holds job ${parsed.data.key}, not the job its name says`;
  if (parsed.data.scenario !== hash) return 'belongs to another scenario';
  return parsed.data.sample as Sample;
}
