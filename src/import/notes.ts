// The comments of an imported scenario: a value that was assumed rather than read, a concept read but
// not representable in the scenario format, a proposal to confirm. Each is attached to a field path and
// written into the YAML next to that field by emit.ts, so nothing read is dropped silently.

export type Path = ReadonlyArray<string | number>;

export interface Note {
  path: Path;
  text: string;
  /** inline: after the value on its line; before: comment lines above the field. */
  place: 'inline' | 'before';
}

export class Notes {
  readonly list: Note[] = [];
  /** Lines of the file's header comment. */
  readonly header: string[] = [];
  /** Problems the user should see on stderr as well (missing requests, bad quantities). */
  readonly warnings: string[] = [];

  inline(path: Path, text: string): void {
    this.list.push({ path, text, place: 'inline' });
  }

  before(path: Path, text: string): void {
    this.list.push({ path, text, place: 'before' });
  }
}
