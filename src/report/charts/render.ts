// Charts to files without a browser or the native canvas package: vega-lite compiles to vega, vega's
// headless View ('none' renderer) writes SVG with estimated text metrics, and resvg rasterises that SVG.
// resvg gets the DejaVu files and nothing else, so a PNG is byte-identical on any machine with them.
// Layout measures text with those same fonts (text-metrics.ts), as a browser's canvas would.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT } from './style.ts';
import { FONT_DIR, FONT_FILES, type TextItem, textWidth } from './text-metrics.ts';

export { FONT_DIR };

// vega exports vega-scenegraph's textMetrics but its typings leave it out.
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } })
  .textMetrics;

/** Compiles a vega-lite spec; vega-lite's warnings (a dropped channel, an ignored property) are returned. */
export function toVega(spec: TopLevelSpec): { spec: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = vega.logger(vega.Warn);
  logger.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  return { spec: compile(spec, { logger }).spec, warnings };
}

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  // Clip-path and gradient ids come from module-level counters: reset them so the same chart always
  // gets the same ids, whatever was rendered before it.
  vega.resetSVGDefIds();
  metrics.width = textWidth;
  const view = new vega.View(vega.parse(toVega(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, scale = 2): Uint8Array {
  const fontFiles = Object.values(FONT_FILES).map((f) => join(FONT_DIR, f));
  const missing = fontFiles.filter((f) => !existsSync(f));
  if (missing.length > 0)
    throw new Error(`PNG rendering needs the DejaVu fonts; missing ${missing.join(', ')}`);
  const resvg = new Resvg(svg, {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return resvg.render().asPng();
}
