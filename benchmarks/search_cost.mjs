// What a first and a second query cost the reader, for three search engines over built sites:
// bytes transferred (gzip, scripts included) and CPU time in this Node process.
//
//   node benchmarks/search_cost.mjs OURS_SITE MATERIAL_SITE PAGEFIND_SITE QUERY1 QUERY2
//
// ours: the site's assets/search.js (the browser's file) with its index read from disk, showing
// one screen of results as the browser does; Material: its search worker (search.*.min.js) run in a VM context as
// in a Web Worker, given search_index.json; Pagefind: its pagefind.js, which loads its WebAssembly
// and index files through fetch, served here from disk, loading the data of the first 10 results.
// Prints one JSON object.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const SHOWN = 10; // Pagefind: result data loaded for the first screen
const gz = (buffer) => gzipSync(buffer, { level: 6 }).length;
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function ours(site, queries) {
  const script = readFileSync(join(site, "assets/search.js"));
  const fetched = [];
  let start = cpu();
  const module = await import(`data:text/javascript;base64,${script.toString("base64")}`);
  const search = new module.Search((path) => {
    const buffer = readFileSync(join(site, "search", path));
    fetched.push(buffer);
    return JSON.parse(buffer.toString("utf8"));
  });
  const rows = [];
  let bytes = gz(script);
  for (const query of queries) {
    const before = fetched.length;
    const result = await search.search(query, { limit: module.SHOWN_PAGES, perPage: module.SHOWN_SECTIONS });
    const end = cpu();
    bytes += fetched.slice(before).reduce((sum, buffer) => sum + gz(buffer), 0);
    rows.push({ query, bytes, cpu_ms: end - start, files: fetched.length - before, pages: result.total });
    bytes = 0;
    start = cpu();
  }
  return rows;
}

async function material(site, queries) {
  const folder = join(site, "assets/javascripts/workers");
  const worker = readFileSync(join(folder, readdirSync(folder).find((name) => name.endsWith(".min.js"))));
  let handler;
  let answer;
  const context = {
    addEventListener: (type, listener) => {
      handler = listener;
    },
    postMessage: (message) => answer(message),
    importScripts: () => {
      throw new Error("no language scripts in this benchmark");
    },
    console,
  };
  context.self = context;
  const send = (message) =>
    new Promise((resolve) => {
      answer = resolve;
      handler({ data: message });
    });
  const rows = [];
  let start = cpu();
  vm.createContext(context);
  vm.runInContext(worker.toString("utf8"), context);
  const index = readFileSync(join(site, "search/search_index.json"));
  await send({ type: 0, data: { ...JSON.parse(index.toString("utf8")), options: { suggest: true } } });
  let bytes = gz(worker) + gz(index);
  for (const query of queries) {
    const result = await send({ type: 2, data: query });
    const end = cpu();
    rows.push({ query, bytes, cpu_ms: end - start, pages: result.data.items.length });
    bytes = 0;
    start = cpu();
  }
  return rows;
}

async function pagefind(site, queries) {
  const fetched = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    const path = fileURLToPath(String(url).split("?")[0]);
    const buffer = readFileSync(path);
    // Pagefind's own files are stored compressed; its script and manifest are not.
    fetched.push(/\.(js|json)$/.test(path) ? gz(buffer) : buffer.length);
    return new Response(buffer, { headers: { "content-type": path.endsWith(".wasm") ? "application/wasm" : "application/octet-stream" } });
  };
  const rows = [];
  try {
    let start = cpu();
    const script = join(site, "pagefind/pagefind.js");
    fetched.push(gz(readFileSync(script)));
    const pf = await import(pathToFileURL(script).href);
    await pf.init();
    for (const query of queries) {
      const search = await pf.search(query);
      await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
      const end = cpu();
      rows.push({ query, bytes: fetched.reduce((a, b) => a + b, 0), cpu_ms: end - start, pages: search.results.length });
      fetched.length = 0;
      start = cpu();
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return rows;
}

const [oursSite, materialSite, pagefindSite, ...queries] = process.argv.slice(2);
const report = {
  ours: await ours(oursSite, queries),
  material: await material(materialSite, queries),
  pagefind: await pagefind(pagefindSite, queries),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
