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
  svgToPng,
  toSvg,
  uniqueLabels,
} from '../charts/index.ts';
import { pageHtml } from './page.ts';
import type { Section } from './section.ts';
import { deltasHtml, scenarioHtml, summaryHtml } from './summary.ts';

function intro(input: unknown): string {
  if (!isResults(input)) return '';
  return [
    scenarioHtml(input),
    '<h3>Summary</h3>',
    summaryHtml(input),
    input.deltas.length ? '<h3>Changes between architectures</h3>' : '',
    deltasHtml(input.deltas),
  ].join('\n');
}

export function reportSections(inputs: readonly unknown[]): Section[] {
  const headings = inputs.map(inputLabel);
  const ids = uniqueLabels(headings);
  return inputs.map((input, i) => {
    const charts = chartsFor(input);
    const prefix = inputs.length > 1 ? `${ids[i]}-` : '';
    return {
      id: `section-${ids[i]}`,
      heading: headings[i]!,
      intro: intro(input),
      charts: charts.map((c): ChartSpec => ({ ...c, name: prefix + c.name })),
    };
  });
}

export async function writeReport(
  results: Results[] | readonly unknown[],
  outDir: string,
): Promise<{ files: string[] }> {
  const sections = reportSections(results);
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    const path = join(outDir, name);
    writeFileAtomic(path, data);
    files.push(path);
  };
  for (const c of sections.flatMap((s) => s.charts)) {
    write(`${c.name}.vl.json`, `${JSON.stringify(c.spec, null, 2)}\n`);
    const svg = await toSvg(c.spec);
    write(`${c.name}.svg`, svg);
    write(`${c.name}.png`, svgToPng(svg));
  }
  const title = `meshsim report: ${sections.map((s) => s.heading).join(', ')}`;
  write('index.html', pageHtml(title, sections));
  return { files };
}
