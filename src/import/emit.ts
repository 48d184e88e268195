// The imported scenario as YAML a user reads and edits: the header says what was read, ignored and not
// representable; each assumed value carries its comment on its line; each service says where it came from.
import { Document, isCollection, isScalar, type Node } from 'yaml';
import type { Json } from './fields.ts';
import type { Notes } from './notes.ts';

function commentText(lines: readonly string[]): string {
  return lines.map((l) => ` ${l}`).join('\n');
}

export function emitScenario(raw: Json, notes: Notes): string {
  const doc = new Document(raw);
  if (notes.header.length > 0) doc.commentBefore = commentText(notes.header);
  const before = new Map<Node, string[]>();
  for (const n of notes.list) {
    const node = doc.getIn(n.path, true) as Node | undefined;
    if (!node) continue;
    // A comment above a scalar would land between its key and value: scalars take theirs on the line.
    if (isScalar(node)) node.comment = node.comment ? `${node.comment}; ${n.text}` : ` ${n.text}`;
    else if (isCollection(node)) before.set(node, [...(before.get(node) ?? []), n.text]);
  }
  for (const [node, lines] of before) node.commentBefore = commentText(lines);
  return doc.toString({ lineWidth: 0 });
}
