// Bounds on what a scenario file may cost to read, checked before anything expands it: a YAML file can
// describe far more data than it holds (aliases: "billion laughs", or one 4 MB string aliased a thousand
// times) and nest deeper than a recursive reader's stack. Each is an input error with a position, never
// an out-of-memory crash or a stack overflow. The limits are ASSUMPTIONS sized far above any real scenario
// (the generated 5,000-node scenario is under 2 MB and nests 8 levels).
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { ScenarioIssue } from './issues.ts';

/** Largest scenario file read (bytes). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Deepest nesting of maps and lists; a scenario needs about 8. */
export const MAX_DEPTH = 64;
/** Most characters (keys, scalars) the document may expand to once aliases are resolved. */
export const MAX_EXPANDED_CHARS = 64 * 1024 * 1024;
/** Most nodes the document may expand to once aliases are resolved. */
export const MAX_EXPANDED_NODES = 4_000_000;

function issue(
  file: string,
  lines: LineCounter,
  offset: number,
  found: string,
  expected: string,
): ScenarioIssue {
  const { line, col } = lines.linePos(offset);
  return {
    file,
    line,
    column: col,
    path: '<root>',
    found,
    expected,
    message: `found ${found}, expected ${expected}`,
  };
}

/**
 * Flow brackets nested deeper than MAX_DEPTH, found by a scan of the text (outside quotes and comments)
 * before the YAML parser, whose reader recurses per level, sees them.
 */
export function deepFlowNesting(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) comment = true;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

export function nestingIssue(file: string, lines: LineCounter, offset: number): ScenarioIssue {
  return issue(
    file,
    lines,
    offset,
    `maps or lists nested more than ${MAX_DEPTH} levels deep`,
    `at most ${MAX_DEPTH} levels of nesting (a scenario needs about 8)`,
  );
}

interface Cost {
  chars: number;
  nodes: number;
  depth: number;
}

/**
 * What the document expands to once aliases are resolved (characters, nodes, depth), computed without
 * expanding it: each node's cost is computed once, bottom-up with an explicit stack, and an alias costs
 * what its anchor does. Returns the first limit exceeded as an issue, or undefined.
 */
export function expansionIssue(doc: Document, file: string, lines: LineCounter): ScenarioIssue | undefined {
  const root = doc.contents as Node | null;
  if (!root) return undefined;
  const cost = new Map<Node, Cost>();
  const stack: Array<{ node: Node; expanded: boolean; depth: number }> = [
    { node: root, expanded: false, depth: 1 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const { node } = top;
    if (cost.has(node)) {
      stack.pop();
      continue;
    }
    if (top.depth > MAX_DEPTH) return nestingIssue(file, lines, node.range?.[0] ?? 0);
    const children = childrenOf(doc, node);
    if (!top.expanded) {
      top.expanded = true;
      for (const child of children)
        if (!cost.has(child)) stack.push({ node: child, expanded: false, depth: top.depth + 1 });
      continue;
    }
    stack.pop();
    const own: Cost = { chars: isScalar(node) ? String(node.value ?? '').length : 0, nodes: 1, depth: 1 };
    for (const child of children) {
      const c = cost.get(child);
      if (!c) continue; // an alias cycle: yaml reports it as an error of its own
      own.chars += c.chars;
      own.nodes += c.nodes;
      own.depth = Math.max(own.depth, c.depth + 1);
    }
    if (own.depth > MAX_DEPTH) return nestingIssue(file, lines, node.range?.[0] ?? 0);
    if (own.chars > MAX_EXPANDED_CHARS || own.nodes > MAX_EXPANDED_NODES)
      return issue(
        file,
        lines,
        node.range?.[0] ?? 0,
        `aliases that expand to ${own.nodes.toLocaleString('en-US')} values and ${own.chars.toLocaleString('en-US')} characters`,
        `a document that expands to at most ${MAX_EXPANDED_NODES.toLocaleString('en-US')} values and ${MAX_EXPANDED_CHARS.toLocaleString('en-US')} characters (aliases repeat what they refer to)`,
      );
    cost.set(node, own);
  }
  return undefined;
}

function childrenOf(doc: Document, node: Node): Node[] {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target ? [target as Node] : [];
  }
  const out: Node[] = [];
  if (isMap(node)) {
    for (const p of node.items) {
      if (!isPair(p)) continue;
      if (p.key && typeof p.key === 'object') out.push(p.key as Node);
      if (p.value && typeof p.value === 'object') out.push(p.value as Node);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) if (item && typeof item === 'object') out.push(item as Node);
  }
  return out;
}

/**
 * A syntax error's position, kept on a line of the file: yaml reports some errors at the end of input,
 * after trailing blank lines; point at the end of the last line that has content instead.
 */
export function syntaxErrorOffset(text: string, offset: number): number {
  const at = Math.min(Math.max(offset, 0), text.length);
  if (!/^\s*$/.test(text.slice(at))) return at;
  const last = text.slice(0, at).search(/\s*$/) - 1;
  return last >= 0 ? last : at;
}
