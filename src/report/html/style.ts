// One column, at most 1,200 px wide: wide tables scroll inside their own box and charts shrink to the
// column, so the page never scrolls sideways, down to a phone's width.
export const CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; line-height: 1.4; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.15rem; margin-top: 2rem; } h4 { font-size: 1rem; margin: 1.2rem 0 0.3rem; }
nav ul ul { display: inline; padding-left: 0.5rem; } nav ul ul li { display: inline; margin-right: 0.8rem; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f4f4f4; }
.scroll { max-width: 100%; overflow-x: auto; }
figure { margin: 1.5rem 0 2.5rem; }
.chart { max-width: 100%; min-height: 2rem; }
.chart svg, .chart img { max-width: 100%; height: auto; }
.meta, .files, .note, .detail { color: #555; font-size: 0.85rem; }
.first-screen { border: 1px solid #d8d8d8; border-radius: 6px; padding: 0.2rem 1rem 0.6rem; margin: 1rem 0; background: #fcfcfc; }
.first-screen h3 { margin-top: 0.9rem; }
.headline-line { margin: 0.5rem 0; font-size: 1.05rem; }
.headline-line .pair { font-weight: bold; }
.sig { color: #1a7f37; font-size: 0.8rem; font-weight: bold; } .nosig { color: #777; font-size: 0.8rem; }
td.pass { color: #1a7f37; } td.fail { color: #b42318; font-weight: bold; background: #fdecea; }
tr.rest td { color: #555; font-style: italic; }
.warnings { background: #fff6e5; border-left: 4px solid #f58518; padding: 0.2rem 1rem; margin: 0.8rem 0; }
.ok { color: #1a7f37; }
details.fold, details.assumptions { margin: 0.5rem 0; }
details > summary { cursor: pointer; color: #444; }
@media (max-width: 600px) { body { margin: 1rem auto; padding: 0 0.5rem; } h1 { font-size: 1.3rem; } table { font-size: 0.78rem; } }
`;
