// Fixed colours, so an architecture or a component looks the same in every chart of every report: a
// reader who learnt "ambient is orange" on one chart must not have to relearn it on the next.
import { COMPONENTS } from '../../cluster/index.ts';

/** The font of every spec; the PNG renderer loads exactly this family so SVG and PNG text agree. */
export const FONT = 'DejaVu Sans';

const ARCHITECTURE: Record<string, string> = {
  none: '#8c8c8c',
  sidecar: '#4c78a8',
  ambient: '#f58518',
  'as-labelled': '#54a24b',
};

const COMPONENT: Record<string, string> = {
  application: '#bab0ac',
  sidecar: '#4c78a8',
  ztunnel: '#f58518',
  waypoint: '#eeca3b',
  'istio-cni': '#72b7b2',
  istiod: '#e45756',
  client: '#9d755d',
  idle: '#e7e7e7',
  'cross-zone traffic': '#9ecae9',
  'proxy fee': '#b279a2',
};

// Names these maps do not know (a cost file from a newer meshsim) still get a stable colour: by their
// position in the sorted list of unknown names, never by arrival order.
const SPARE = ['#ff9da6', '#88d27a', '#d6a5c9', '#79706e', '#439894', '#d67195'];

function scale(known: Record<string, string>, names: readonly string[]) {
  const unknown = names.filter((n) => !(n in known)).sort();
  return {
    domain: [...names],
    range: names.map((n) => known[n] ?? SPARE[unknown.indexOf(n) % SPARE.length]!),
  };
}

export const architectureScale = (names: readonly string[]) => scale(ARCHITECTURE, names);
export const componentScale = (names: readonly string[]) => scale(COMPONENT, names);

/** Components in their canonical order (application first, then the mesh, then the rest by name). */
export function componentOrder(names: Iterable<string>): string[] {
  const all = [...COMPONENTS, 'cross-zone traffic', 'proxy fee', 'idle'] as string[];
  const rank = (n: string) => (all.includes(n) ? all.indexOf(n) : all.length);
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export const CONFIG = {
  font: FONT,
  background: 'white',
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555555', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/** The x encoding of charts with one bar group per architecture, in the order they were compared. */
export function architectureX(archs: readonly string[]) {
  return {
    field: 'architecture',
    type: 'nominal',
    sort: archs,
    title: 'architecture',
    axis: { labelAngle: 0 },
  };
}
