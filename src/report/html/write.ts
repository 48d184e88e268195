// `meshsim report` and `meshsim run --report`: every chart as NAME.vl.json, NAME.svg and NAME.png, and
// index.html showing them all. Several inputs share one page, one section each; their chart names are
// prefixed with the input's scenario (quickstart-cpu, billing-cpu) so the files never collide.
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/index.ts';
import type { Results } from '../../simulate/index.ts';
import {
  type ChartSpec,
  chartsFor,
  inputLabel,
  isResults,
  planOf,
  svgToPng,
  toSvg,
  uniqueLabels,
} from '../charts/index.ts';
import { disruptionHtml } from './disruption.ts';
import { efficiencyHtml } from './efficiency.ts';
import { headlineHtml } from './headline.ts';
import { type ChartSize, pageHtml } from './page.ts';
import { planHeadlineHtml } from './plan-summary.ts';
import type { Part, Section } from './section.ts';
import { sloHtml } from './slo.ts';
import { deltasHtml, scenarioHtml, summaryHtml } from './summary.ts';
import { warningsHtml } from './warnings.ts';

const fold = (summary: string, body: string) =>
  body ? `<details class="fold"><summary>${summary}</summary>${body}</details>` : '';

/** What a reader needs before any chart: the answer, the objectives, what went wrong. Tables fold below. */
function intro(input: unknown): string {
  if (!isResults(input)) {
    const plan = planOf(input);
    return plan ? planHeadlineHtml(plan) : '';
  }
  const d = input.deltas.length;
  return [
    scenarioHtml(input),
    '<div class="first-screen">',
    headlineHtml(input),
    '<h3>Latency objectives</h3>',
    sloHtml(input),
    warningsHtml(input),
    '</div>',
    fold('Summary per architecture (table)', `<div class="scroll">${summaryHtml(input)}</div>`),
    fold(
      `Every change between architectures (${d} row${d === 1 ? '' : 's'})`,
      d ? `<div class="scroll">${deltasHtml(input.deltas)}</div>` : '',
    ),
  ].join('\n');
}

/** The parts of a section, in reading order, each with the charts (by unprefixed name) it shows. */
function parts(input: unknown, id: string): Array<Omit<Part, 'charts'> & { charts: string[] }> {
  const results = isResults(input) ? input : undefined;
  const disrupted = results?.architectures.some((a) => (a.disruption?.events.length ?? 0) > 0) ?? false;
  const out = [
    { heading: 'Latency', html: '', charts: ['latency-added', 'latency', 'latency-cdf'] },
    {
      heading: disrupted ? 'Disruption' : 'Over time',
      html: results && disrupted ? disruptionHtml(results) : '',
      charts: ['timeline'],
    },
    { heading: 'CPU and memory', html: '', charts: ['cpu', 'memory'] },
    {
      heading: 'Capacity and cost',
      html: results ? efficiencyHtml(results) : '',
      charts: ['nodes', 'cost', 'cost-namespace'],
    },
    { heading: 'Capacity plan', html: '', charts: ['plan'] },
    { heading: 'Calibration', html: '', charts: ['calibration'] },
  ];
  return out.map((p) => ({ ...p, id: `${id}-${p.heading.toLowerCase().replace(/[^a-z]+/g, '-')}` }));
}

export function reportSections(inputs: readonly unknown[]): Section[] {
  const headings = inputs.map(inputLabel);
  const ids = uniqueLabels(headings);
  return inputs.map((input, i) => {
    const charts = chartsFor(input);
    const prefix = inputs.length > 1 ? `${ids[i]}-` : '';
    const names = new Set(charts.map((c) => c.name));
    const id = `section-${ids[i]}`;
    return {
      id,
      heading: headings[i]!,
      intro: intro(input),
      parts: parts(input, id)
        .map((p) => ({ ...p, charts: p.charts.filter((c) => names.has(c)).map((c) => prefix + c) }))
        .filter((p) => p.charts.length > 0 || p.html !== ''),
      charts: charts.map((c): ChartSpec => ({ ...c, name: prefix + c.name })),
    };
  });
}

const sizeOf = (svg: string): ChartSize => {
  const m = svg.match(/^<svg[^>]* width="([\d.]+)" height="([\d.]+)"/);
  return m ? { width: Math.round(Number(m[1])), height: Math.round(Number(m[2])) } : { width: 0, height: 0 };
};

export async function writeReport(
  results: Results[] | readonly unknown[],
  outDir: string,
): Promise<{ files: string[] }> {
  const sections = reportSections(results);
  const files: string[] = [];
  const sizes = new Map<string, ChartSize>();
  const write = (name: string, data: string | Uint8Array) => {
    const path = join(outDir, name);
    writeFileAtomic(path, data);
    files.push(path);
  };
  for (const c of sections.flatMap((s) => s.charts)) {
    write(`${c.name}.vl.json`, `${JSON.stringify(c.spec, null, 2)}\n`);
    const svg = await toSvg(c.spec);
    sizes.set(c.name, sizeOf(svg));
    write(`${c.name}.svg`, svg);
    write(`${c.name}.png`, svgToPng(svg));
  }
  const title = `meshsim report: ${sections.map((s) => s.heading).join(', ')}`;
  write('index.html', pageHtml(title, sections, sizes));
  return { files };
}
