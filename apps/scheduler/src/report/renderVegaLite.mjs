// Renders Vega-Lite specs to SVG with the real Vega-Lite compiler and Vega's SVG renderer.
// A plain ES module run as a child process: vega is ESM-only with top-level await, which neither
// require() nor jest's CommonJS transform can load. stdin: JSON array of specs; stdout: JSON array of SVG strings.
import * as vega from 'vega';
import * as vl from 'vega-lite';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const specs = JSON.parse(input);
const svgs = [];
for (const spec of specs) {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  svgs.push(await view.toSVG());
  view.finalize();
}
process.stdout.write(JSON.stringify(svgs));
