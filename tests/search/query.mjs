#!/usr/bin/env node
// Runs the site's own search script (SITE_DIR/assets/search.js, the very file the browser loads)
// over a built site, reading the index from disk instead of fetching it.
//
//   node tests/search/query.mjs SITE_DIR QUERY [--kind notice|unit|district|category|other] [--year YYYY]
//     prints one JSON object per result page, best first: url (relative to the site root, with the
//     anchor of its first matching section), title, snippet, highlights (the highlighted strings of
//     the snippet), kind, year and sections (url, title, snippet of each matching section).
//   node tests/search/query.mjs SITE_DIR --each
//     reads one query per line from standard input and prints, per query, one JSON object
//     {"query": ..., "urls": [...]}: for tests that ask many queries of one index.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

export async function openSite(site) {
  const source = await readFile(join(site, "assets/search.js"), "utf8");
  const module = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
  const search = new module.Search(async (path) => JSON.parse(await readFile(join(site, "search", path), "utf8")));
  return { module, search };
}

function snippet(module, text, terms) {
  const pieces = module.highlight(text, terms, 90);
  return { snippet: pieces.map(([t]) => t).join(""), highlights: pieces.filter(([, m]) => m).map(([t]) => t) };
}

async function main(argv) {
  const [site, query, ...options] = argv;
  if (!site || !query) {
    process.stderr.write("用法：node tests/search/query.mjs 网站目录 查询词 [--kind 类型] [--year 年份]\n");
    return 2;
  }
  const { module, search } = await openSite(site);
  if (query === "--each") {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const result = await search.search(line);
      process.stdout.write(`${JSON.stringify({ query: line, urls: result.pages.map((p) => p.url) })}\n`);
    }
    return 0;
  }
  const filters = {};
  for (let i = 0; i < options.length; i += 2) {
    if (options[i] === "--kind") filters.kind = options[i + 1];
    else if (options[i] === "--year") filters.year = Number(options[i + 1]);
    else {
      process.stderr.write(`未知选项：${options[i]}\n`);
      return 2;
    }
  }
  const result = await search.search(query, filters);
  for (const page of result.pages) {
    const first = page.sections[0];
    const sections = page.sections.map((s) => ({ url: s.url, title: s.title, ...snippet(module, s.text || s.title, result.terms) }));
    const line = { url: page.url, title: page.title, ...snippet(module, first.text || first.title, result.terms), kind: page.kind, year: page.year, sections };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // A reader that stops reading (`| head`) is no error: stop quietly, as other command-line tools do.
  process.stdout.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
  process.exitCode = await main(process.argv.slice(2));
}
