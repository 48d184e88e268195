// The single self-contained HTML file: vega, vega-lite and vega-embed inlined, the specs as inert JSON,
// one small script that draws them. A Content-Security-Policy forbids every network request and allows
// only the scripts written here (by hash): even if some text escaped its escaping, it could not run.
import { createHash } from 'node:crypto';
import { vegaScripts } from './assets.ts';
import { chartTableHtml } from './chart-table.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import type { Section } from './section.ts';
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

function figure(c: Section['charts'][number]): string {
  const n = escapeHtml(c.name);
  // The chart draws its own title; the figure carries it for navigation and screen readers.
  return `<figure id="figure-${n}" aria-label="${escapeHtml(c.title)}">
<div class="chart" id="chart-${n}" data-chart="${n}"></div>
<details class="numbers-wrap" open><summary>The numbers</summary>${chartTableHtml(c.table)}</details>
<p class="files">Files: <a href="${n}.svg">${n}.svg</a> · <a href="${n}.png">${n}.png</a> · <a href="${n}.vl.json">${n}.vl.json</a> (vega-lite, data inlined)</p>
</figure>`;
}

function sectionHtml(s: Section): string {
  return `<section id="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.heading)}</h2>
${s.intro}
${s.charts.map(figure).join('\n')}
</section>`;
}

const sourcesHtml = () =>
  `<section id="calibration-sources"><h2>Calibration sources</h2>
<p>The simulator's proxy CPU, memory and latency constants are calibrated against published figures; the main sources:</p>
<ul>${CALIBRATION_SOURCES.map((s) => `<li>${escapeHtml(s.title)}: <a href="${escapeHtml(s.url)}">${escapeHtml(s.url)}</a></li>`).join('\n')}</ul></section>`;

export function pageHtml(title: string, sections: Section[]): string {
  const specs = Object.fromEntries(sections.flatMap((s) => s.charts.map((c) => [c.name, c.spec])));
  const scripts = [...vegaScripts(), MAIN];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
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
<nav><ul>${sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.heading)}</a></li>`).join('')}</ul></nav>
${sections.map(sectionHtml).join('\n')}
${sourcesHtml()}
<script type="application/json" id="meshsim-specs">${jsonForScript(specs)}</script>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}
