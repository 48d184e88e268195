// mkdir -p without Node's recursive mkdir, which on Node 20 loops for ever under /proc (each mkdir
// answers ENOENT and it keeps retrying). Each missing ancestor is made once; any other answer is final.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (statSync(dir).isDirectory()) return;
      throw e;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
  }
  makeDirectory(dirname(dir));
  try {
    mkdirSync(dir);
  } catch (e) {
    // Made meanwhile by another run writing the same place.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
  }
}
