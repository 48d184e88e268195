// Where a field path lives in the YAML source: walks the document's nodes (which keep source ranges)
// and falls back to the nearest existing ancestor when the field is missing.
import { type Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type LineCounter } from 'yaml';

export interface Located {
  line?: number;
  column?: number;
  /** The value at the path, rendered short; `nothing` when missing. */
  found: string;
}

const MAX_FOUND = 40;

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > MAX_FOUND ? `${s.slice(0, MAX_FOUND - 1)}…` : s;
}

function keyOf(k: unknown): unknown {
  return isScalar(k) ? k.value : k;
}

export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private at(offset: number | undefined): { line?: number; column?: number } {
    if (offset === undefined) return {};
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  locate(path: readonly PropertyKey[], atKey = false): Located {
    let node: unknown = this.doc.contents;
    let range = this.doc.contents?.range;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: unknown;
      let keyRange: [number, number, number] | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && String(keyOf(p.key)) === String(seg));
        if (pair) {
          next = pair.value;
          keyRange = (pair.key as { range?: [number, number, number] } | null)?.range ?? undefined;
          if (i === path.length - 1 && atKey) return { ...this.at(keyRange?.[0]), found: String(seg) };
          // `key:` with no value: the key is the best place to point at.
          if (
            next === null ||
            (isScalar(next) && next.value === null && next.range?.[0] === next.range?.[1])
          ) {
            return { ...this.at(keyRange?.[0]), found: 'nothing' };
          }
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined) return { ...this.at(range?.[0]), found: 'nothing' };
      node = next;
      range = (node as { range?: [number, number, number] }).range ?? range;
    }
    if (isAlias(node)) node = node.resolve(this.doc);
    const found = isScalar(node) ? short(node.value) : isCollection(node) ? short(node.toJSON()) : 'nothing';
    return { ...this.at(range?.[0]), found };
  }
}
