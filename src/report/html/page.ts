// The single self-contained HTML file: vega, vega-lite and vega-embed inlined, the specs as inert JSON,
// one small script that draws them. A Content-Security-Policy forbids every network request and allows
// only the scripts written here (by hash): even if some text escaped its escaping, it could not run.
import { createHash } from 'node:crypto';
import { vegaScripts } from './assets.ts';
import { chartTableHtml } from './chart-table.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import type { Part, Section } from './section.ts';
import { CALIBRATION_SOURCES } from './sources.ts';
import { CSS } from './style.ts';

// `ast: true` makes vega interpret expressions instead of compiling them with Function(), so the
// policy needs no 'unsafe-eval'. `data-charts` on <body> tells tests (and curious readers) it is done.
const MAIN = `(async () => {
  const specs = JSON.parse(document.getElementById('meshsim-specs').textContent);
  await Promise.all(Object.entries(specs).map(async ([name, spec]) => {
    const el = document.getElementById('chart-' + name);
    try {
      await vegaEmbed(el, spec, { actions: false, renderer: 'svg', ast: true });
      el.dataset.state = 'rendered';
    } catch (e) {
      el.dataset.state = 'failed';
      el.textContent = 'This chart could not be drawn: ' + e.message;
      console.error(e);
    }
  }));
  document.body.dataset.charts = 'done';
})();`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The exported SVG's size in CSS pixels (the PNG is drawn at twice that). */
export interface ChartSize {
  width: number;
  height: number;
}

function figure(c: Section['charts'][number], size: ChartSize | undefined): string {
  const n = escapeHtml(c.name);
  const dims = size && size.width > 0 ? ` width="${size.width}" height="${size.height}"` : '';
  // The chart draws its own title; the figure carries it for navigation and screen readers. Without
  // JavaScript the exported PNG stands in for it.
  return `<figure id="figure-${n}" aria-label="${escapeHtml(c.title)}">
<div class="chart" id="chart-${n}" data-chart="${n}"><noscript><img src="${n}.png" alt="${escapeHtml(c.title)}"${dims}></noscript></div>
<details class="numbers-wrap"><summary>The numbers</summary><div class="scroll">${chartTableHtml(c.table)}</div></details>
<p class="files">Files: <a href="${n}.svg">${n}.svg</a> · <a href="${n}.png">${n}.png</a> · <a href="${n}.vl.json">${n}.vl.json</a> (vega-lite, data inlined)</p>
</figure>`;
}

function sectionHtml(s: Section, sizes: ReadonlyMap<string, ChartSize>): string {
  const byName = new Map(s.charts.map((c) => [c.name, c]));
  const named = new Set(s.parts.flatMap((p) => p.charts));
  const fig = (name: string) => {
    const c = byName.get(name);
    return c ? figure(c, sizes.get(name)) : '';
  };
  const part = (p: Part) => `<section class="part" id="${escapeHtml(p.id)}">
<h3>${escapeHtml(p.heading)}</h3>
${p.html}
${p.charts.map(fig).join('\n')}
</section>`;
  const rest = s.charts.filter((c) => !named.has(c.name)).map((c) => fig(c.name));
  return `<section id="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.heading)}</h2>
${s.intro}
${s.parts.map(part).join('\n')}
${rest.join('\n')}
</section>`;
}

function navHtml(sections: Section[]): string {
  const items = sections.map((s) => {
    const sub = s.parts
      .map((p) => `<li><a href="#${escapeHtml(p.id)}">${escapeHtml(p.heading)}</a></li>`)
      .join('');
    return `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.heading)}</a>${sub ? `<ul>${sub}</ul>` : ''}</li>`;
  });
  return `<nav><ul>${items.join('')}</ul></nav>`;
}

const sourcesHtml = () =>
  `<section id="calibration-sources"><h2>Calibration sources</h2>
<p>The simulator's proxy CPU, memory and latency constants are calibrated against published figures; the main sources:</p>
<ul>${CALIBRATION_SOURCES.map((s) => `<li>${escapeHtml(s.title)}: <a href="${escapeHtml(s.url)}">${escapeHtml(s.url)}</a></li>`).join('\n')}</ul></section>`;

export function pageHtml(
  title: string,
  sections: Section[],
  sizes: ReadonlyMap<string, ChartSize> = new Map(),
): string {
  const specs = Object.fromEntries(sections.flatMap((s) => s.charts.map((c) => [c.name, c.spec])));
  const scripts = [...vegaScripts(), MAIN];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    // The exported PNGs beside the page, shown when JavaScript is off.
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${navHtml(sections)}
${sections.map((s) => sectionHtml(s, sizes)).join('\n')}
${sourcesHtml()}
<script type="application/json" id="meshsim-specs">${jsonForScript(specs)}</script>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}
