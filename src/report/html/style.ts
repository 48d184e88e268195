export const CSS = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #f4f4f4; }
figure { margin: 1.5rem 0 2.5rem; }
.chart { overflow-x: auto; min-height: 2rem; }
.meta, .files { color: #555; font-size: 0.85rem; }
.warnings { background: #fff6e5; border-left: 4px solid #f58518; padding: 0.2rem 1rem; }
details.numbers-wrap > summary { cursor: pointer; color: #444; }
`;
