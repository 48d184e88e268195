// An issue before it has a position: the path into the raw document and what was expected there.
// The parser positions these against the YAML source (positions.ts).

export interface PendingIssue {
  path: PropertyKey[];
  expected: string;
  /** Point at the key rather than the value (unknown or surplus fields). */
  atKey?: boolean;
  /** Names the value is compared with for a did-you-mean. */
  candidates?: readonly string[];
  /** Replaces the default `found ..., expected ...` sentence (e.g. to name a cycle). */
  message?: string;
}

/** Collects problems while normalising, so every one of them is reported at once. */
export class Problems {
  readonly list: PendingIssue[] = [];
  add(path: PropertyKey[], expected: string, extra: Omit<PendingIssue, 'path' | 'expected'> = {}): void {
    this.list.push({ path, expected, ...extra });
  }
}
