// The querying side of the site search against the shared vectors (tests/search/vectors.json);
// tests/test_search.py runs the same vectors against the index-building side.
// Run: node --test tests/search/   (the index is built by tests/search/build_vectors.py; set
// PYTHON when the project's .venv is not where Python is).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { openSite } from "./query.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, "vectors.json"), "utf8"));
const python = process.env.PYTHON || join(here, "../../.venv/bin/python");
let site;
let search;
let module;

before(async () => {
  site = mkdtempSync(join(tmpdir(), "search-vectors-"));
  execFileSync(python, [join(here, "build_vectors.py"), site]);
  ({ search, module } = await openSite(site));
});
after(() => rmSync(site, { recursive: true, force: true }));

test("folding", () => {
  for (const [text, folded] of vectors.fold) assert.equal(module.fold(text), folded, JSON.stringify(text));
});

test("shards", () => {
  for (const [key, shards, shard] of vectors.shards) assert.equal(module.shardOf(key, shards), shard, key);
});

test("keys of a term", () => {
  for (const [term, keys] of vectors.keys) assert.deepEqual(module.keysOf(term), keys);
});

test("queries find exactly the pages that contain them, best first", async () => {
  for (const [query, urls] of vectors.queries) {
    const result = await search.search(query);
    assert.deepEqual(
      result.pages.map((page) => page.url),
      urls,
      JSON.stringify(query),
    );
    assert.equal(result.total, urls.length);
  }
});

test("a limit checks only what it shows and says when the count is exact", async () => {
  const result = await search.search("交警", { limit: 1 });
  assert.deepEqual(result.pages.map((page) => page.url), ["units/市交警支队/"]);
  assert.equal(result.total, 3);
  assert.equal(result.exact, true);
});

test("filters by kind and year", async () => {
  const urls = async (query, filters) => (await search.search(query, filters)).pages.map((page) => page.url);
  assert.deepEqual(await urls("交警", { kind: "notice" }), ["notices/2024/01/#hot-1", "notices/2023/08/#difficult-1"]);
  assert.deepEqual(await urls("交警", { kind: "notice", year: 2023 }), ["notices/2023/08/#difficult-1"]);
  assert.deepEqual(await urls("交警", { kind: "unit" }), ["units/市交警支队/"]);
  assert.deepEqual(await urls("积水", { kind: "district" }), ["districts/湛河区/"]);
});

test("highlights mark every occurrence, never an empty piece", () => {
  const pieces = module.highlight("市交警支队、交 警大队和ＪＩＡＯ", ["交警", "jiao"]);
  assert.deepEqual(pieces, [
    ["市", false],
    ["交警", true],
    ["支队、", false],
    ["交 警", true],
    ["大队和", false],
    ["ＪＩＡＯ", true],
  ]);
  assert.ok(pieces.every(([text]) => text.length > 0));
});

test("a snippet is a window around the first hit", () => {
  const text = `${"甲".repeat(100)}开口费${"乙".repeat(100)}`;
  const pieces = module.highlight(text, ["开口费"], 60);
  assert.equal(pieces[0][0], "…");
  assert.equal(pieces.at(-1)[0], "…");
  assert.deepEqual(pieces.filter(([, marked]) => marked), [["开口费", true]]);
  assert.ok(pieces.map(([t]) => t).join("").length <= 62);
});
