export { chartTableHtml } from './chart-table.ts';
export { escapeHtml, jsonForScript } from './escape.ts';
export { pageHtml } from './page.ts';
export type { Section } from './section.ts';
export { CALIBRATION_SOURCES } from './sources.ts';
export { deltasHtml, scenarioHtml, summaryHtml } from './summary.ts';
export { reportSections, writeReport } from './write.ts';
