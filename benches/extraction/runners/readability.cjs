// Mozilla Readability runner for benches/extraction/compare.py.
//
//   node readability.cjs NODE_DIR MANIFEST OUT
//
// NODE_DIR is the folder where compare.py ran `npm ci` (its node_modules holds the pinned
// @mozilla/readability and jsdom). Reads the manifest (JSON lines {"id","path","url"}), and for
// each page writes one JSON line {"id","seconds","headline","byline","published","html"} (or
// "error"). The page's raw bytes go to JSDOM as a Buffer so jsdom sniffs the charset itself.
// "seconds" covers `new JSDOM(buffer, {url})` + `new Readability(document).parse()`; file
// reading and the window's close() afterwards are outside it. Each line is written (and so
// flushed) as soon as the page is done, so the orchestrator can tell which page hung or crashed.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [nodeDir, manifest, outPath] = process.argv.slice(2);
if (!nodeDir || !manifest || !outPath) {
  console.error("usage: node readability.cjs NODE_DIR MANIFEST OUT");
  process.exit(2);
}
const req = createRequire(path.join(path.resolve(nodeDir), "package.json"));
const { JSDOM, VirtualConsole } = req("jsdom");
const { Readability } = req("@mozilla/readability");

const out = fs.openSync(outPath, "w");
const lines = fs.readFileSync(manifest, "utf8").split("\n").filter((l) => l.trim() !== "");
for (const line of lines) {
  const page = JSON.parse(line);
  const buf = fs.readFileSync(page.path);
  let rec;
  let dom = null;
  const t0 = process.hrtime.bigint();
  try {
    // A VirtualConsole with no listener: jsdom's CSS/script warnings are dropped, not printed.
    dom = new JSDOM(buf, { url: page.url || undefined, virtualConsole: new VirtualConsole() });
    const art = new Readability(dom.window.document).parse();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    rec = {
      id: page.id,
      seconds: secs,
      headline: art ? art.title : null,
      byline: art ? art.byline : null,
      published: art ? art.publishedTime : null,
      html: art ? art.content || "" : "",
    };
  } catch (e) {
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    rec = { id: page.id, seconds: secs, error: String((e && e.stack) || e).split("\n")[0], html: "" };
  }
  if (dom) {
    try {
      dom.window.close();
    } catch (_) {
      /* closing is cleanup only */
    }
  }
  fs.writeSync(out, JSON.stringify(rec) + "\n");
}
fs.closeSync(out);
