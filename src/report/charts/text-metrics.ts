// Text widths for headless layout. Without a canvas, vega estimates every string as 0.8 x font size
// per character, about 1.5 times the real width of DejaVu Sans: a rotated axis title then "overflows"
// its plot, and the layout pushes the x axis and the plot apart (the blank band of the exported latency
// chart). vega takes a user-defined width function (vega-scenegraph's textMetrics, the hook vl-convert
// uses), so exported charts are laid out with the advance widths of the very fonts resvg draws them with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import opentype from 'opentype.js';

export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  oblique: 'DejaVuSans-Oblique.ttf',
};

type Face = keyof typeof FONT_FILES;

/** What vega passes for a text item: only the fields that decide its width. */
export interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  fontStyle?: string;
}

const faces = new Map<Face, opentype.Font>();
const widths = new Map<string, number>();

function load(face: Face): opentype.Font {
  let f = faces.get(face);
  if (!f) {
    const b = readFileSync(join(FONT_DIR, FONT_FILES[face]));
    f = opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    faces.set(face, f);
  }
  return f;
}

function faceOf(item: TextItem): Face {
  const w = item.fontWeight;
  if (w === 'bold' || w === 'bolder' || (Number(w) >= 600 && Number.isFinite(Number(w)))) return 'bold';
  return item.fontStyle === 'italic' || item.fontStyle === 'oblique' ? 'oblique' : 'regular';
}

// Glyph by glyph with pair kerning: opentype.js's whole-string shaping stops at a GSUB lookup type
// DejaVu uses, and labels are plain Latin text that needs no shaping beyond kerning.
function advance(font: opentype.Font, text: string): number {
  let x = 0;
  let prev: opentype.Glyph | undefined;
  for (const ch of text) {
    const g = font.charToGlyph(ch);
    if (prev) x += font.getKerningValue(prev, g);
    x += g.advanceWidth ?? 0;
    prev = g;
  }
  return x / font.unitsPerEm;
}

/** Width in pixels of `text` drawn as `item` says, in DejaVu Sans (vega's default size is 11). */
export function textWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  const s = text == null ? '' : String(text);
  if (size <= 0 || s === '') return 0;
  const face = faceOf(item);
  const key = `${face}\u0000${s}`;
  let em = widths.get(key);
  if (em === undefined) {
    em = advance(load(face), s);
    widths.set(key, em);
  }
  return em * size;
}
