// Site search: finds the sections whose text contains what the reader typed.
//
// Reads the index that generator/search.py writes under search/ (its docstring specifies the
// format). The same module runs in the browser, imported by assets/search-start.js when the reader
// starts to search, and, over a built site on disk, in tests/search/query.mjs. Text from the
// index reaches the page only through textContent.

export const VERSION = 2;
const IGNORED = /[\t\n\v\f\r \x85\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff]+/gu;
// What one screen of results shows: pages, and matching sections under each.
export const SHOWN_PAGES = 8;
export const SHOWN_SECTIONS = 2;
// Shown when the index cannot be read, mostly for want of a connection; the next query tries again.
export const OFFLINE = "搜索暂时无法使用：没能读取搜索索引，请检查网络连接后再试";
export const KINDS = { notice: "通报", unit: "单位", district: "区域", category: "类别", other: "其他页面" };

/** The form in which texts and queries are compared: NFKC, lower case, no spaces or invisible marks. */
export function fold(text) {
  return text.normalize("NFKC").toLowerCase().replace(IGNORED, "");
}

/** The folded terms of a query (parts between spaces), without repeats. */
export function terms(query) {
  const found = [];
  for (const part of query.normalize("NFKC").split(/\s+/u)) {
    const term = fold(part);
    if (term && !found.includes(term)) found.push(term);
  }
  return found;
}

/** The index keys a term needs: itself when one character, else its pairs of characters. */
export function keysOf(term) {
  const chars = Array.from(term);
  if (chars.length === 1) return [term];
  const keys = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    const key = chars[i] + chars[i + 1];
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/**
 * The part of a term the index is asked about: all of it when short, else its first `head`
 * characters, which are whole in one row wherever the term occurs (see `Search.manifest`).
 */
export function headOf(term, head) {
  const chars = Array.from(term);
  return chars.length > head ? chars.slice(0, head).join("") : term;
}

/** FNV-1a (32 bits) over the key's code points, modulo the number of shards. */
export function shardOf(key, shards) {
  let h = 0x811c9dc5;
  for (const char of key) h = Math.imul(h ^ char.codePointAt(0), 0x01000193) >>> 0;
  return h % shards;
}

function undelta(list) {
  const ids = new Array(list.length);
  let last = 0;
  for (let i = 0; i < list.length; i++) ids[i] = last = i ? last + list[i] : list[i];
  return ids;
}

function intersect(lists) {
  if (lists.some((list) => !list.length)) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = sorted[0];
  for (const other of sorted.slice(1)) {
    const next = [];
    let j = 0;
    for (const id of result) {
      while (j < other.length && other[j] < id) j++;
      if (j < other.length && other[j] === id) next.push(id);
    }
    result = next;
  }
  return result;
}

/** The text folded character by character, with where each folded unit came from. */
function foldMap(text) {
  let folded = "";
  const start = [];
  const end = [];
  let at = 0;
  for (const char of text) {
    const part = fold(char);
    for (let k = 0; k < part.length; k++) {
      start.push(at);
      end.push(at + char.length);
    }
    folded += part;
    at += char.length;
  }
  return { folded, start, end };
}

/** Where the terms occur in a text: sorted, non-overlapping [start, end) ranges, never empty. */
export function occurrences(text, queryTerms) {
  const { folded, start, end } = foldMap(text);
  const ranges = [];
  for (const term of queryTerms) {
    for (let i = folded.indexOf(term); i !== -1; i = folded.indexOf(term, i + 1)) {
      ranges.push([start[i], end[i + term.length - 1]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Text cut into [text, highlighted] pieces around the terms; a window around the first hit when `width`. */
export function highlight(text, queryTerms, width = 0) {
  const ranges = occurrences(text, queryTerms);
  let from = 0;
  let to = text.length;
  if (width && text.length > width) {
    from = ranges.length ? Math.max(0, ranges[0][0] - Math.floor(width / 3)) : 0;
    to = Math.min(text.length, from + width);
    from = Math.max(0, Math.min(from, to - width));
  }
  const pieces = [];
  if (from > 0) pieces.push(["…", false]);
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const a = Math.max(s, from);
    const b = Math.min(e, to);
    if (a > at) pieces.push([text.slice(at, a), false]);
    pieces.push([text.slice(a, b), true]);
    at = b;
  }
  if (at < to) pieces.push([text.slice(at, to), false]);
  if (to < text.length) pieces.push(["…", false]);
  return pieces;
}

/** A search over one site's index; `load(path)` returns the parsed JSON of search/PATH. */
export class Search {
  constructor(load) {
    this.load = load;
    this.files = new Map();
    this.postings = new Map();
  }

  file(path) {
    if (!this.files.has(path)) {
      const pending = Promise.resolve(this.load(path));
      pending.catch(() => this.files.delete(path));
      this.files.set(path, pending);
    }
    return this.files.get(path);
  }

  async manifest() {
    if (!this.meta) {
      const meta = await this.file("index.json");
      if (meta.version !== VERSION) throw new Error(`搜索索引版本 ${meta.version} 与脚本版本 ${VERSION} 不一致`);
      const starts = undelta(meta.pages);
      const runs = meta.runs;
      const pages = starts.map((first, i) => {
        let run = runs[0];
        for (const candidate of runs) if (candidate[0] <= first) run = candidate;
        return { index: i, first, last: i + 1 < starts.length ? starts[i + 1] : meta.sections, kind: run[1], year: run[2] };
      });
      const years = [...new Set(pages.filter((p) => p.kind === "notice").map((p) => p.year))].sort((a, b) => b - a);
      // A row holds the next `overlap` characters of its section after its own; as written, at
      // most one space separates two characters, so any `overlap / 2` folded characters starting
      // in a row's own part end within the row.
      this.meta = { ...meta, pages, years, head: Math.max(2, Math.floor(meta.overlap / 2)) };
    }
    return this.meta;
  }

  async posting(key) {
    if (!this.postings.has(key)) {
      const meta = await this.manifest();
      const shard = await this.file(`shards/${shardOf(key, meta.shards)}.json`);
      const entry = Object.hasOwn(shard, key) ? shard[key] : [[], []];
      this.postings.set(key, { body: undelta(entry[0]), title: undelta(entry[1]) });
    }
    return this.postings.get(key);
  }

  async row(id) {
    const meta = await this.manifest();
    // A text file holds `down` consecutive rows of each of `across` consecutive pages.
    const [across, down] = meta.tile;
    const { index, first } = this.pageOf(id);
    const rows = await this.file(`text/${Math.floor(index / across)}-${Math.floor((id - first) / down)}.json`);
    const [url, page, title, text, part] = rows[index % across][(id - first) % down];
    return { id, url, page, title, text, part };
  }

  pageOf(id) {
    const pages = this.meta.pages;
    let lo = 0;
    let hi = pages.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pages[mid].first <= id) lo = mid;
      else hi = mid - 1;
    }
    return pages[lo];
  }

  /**
   * Pages where every term occurs (each in some section), best first, with their matching sections.
   * `limit` pages are checked against the text (all when omitted), each until `perPage` of its
   * sections match; `total` is exact when `exact`.
   */
  async search(query, { kind = "", year = 0, limit = Infinity, perPage = Infinity } = {}) {
    const queryTerms = terms(query);
    if (!queryTerms.length) return { terms: queryTerms, pages: [], total: 0, exact: true };
    const { head } = await this.manifest();
    const whole = ` ${queryTerms.join("")}`;
    const heads = queryTerms.map((term) => headOf(term, head));
    const keys = [...new Set(heads.flatMap(keysOf)), whole];
    await Promise.all(keys.map((key) => this.posting(key)));
    const perTerm = heads.map((term) => {
      const lists = keysOf(term).map((key) => this.postings.get(key));
      return { body: intersect(lists.map((l) => l.body)), title: new Set(intersect(lists.map((l) => l.title))) };
    });
    const wholeName = new Set(this.postings.get(whole).body);
    const candidates = new Map();
    perTerm.forEach(({ body }, t) => {
      for (const id of body) {
        const page = this.pageOf(id);
        if ((kind && page.kind !== kind) || (year && page.year !== year)) continue;
        if (!candidates.has(page.index)) candidates.set(page.index, { page, ids: new Set(), titled: new Set(), terms: new Set() });
        const entry = candidates.get(page.index);
        entry.ids.add(id);
        if (perTerm.some((p) => p.title.has(id))) entry.titled.add(id);
        entry.terms.add(t);
      }
    });
    const queue = [];
    for (const entry of candidates.values()) {
      if (entry.terms.size !== queryTerms.length) continue;
      const first = entry.page.first;
      const named = perTerm.every((p) => p.title.has(first));
      entry.estimate = wholeName.has(first) ? 0 : named ? 1 : entry.titled.size ? 2 : 3;
      queue.push(entry);
    }
    queue.sort((a, b) => a.estimate - b.estimate || a.page.first - b.page.first);
    const before = (a, b) => a.rank - b.rank || a.first - b.first;
    const found = [];
    let next = 0;
    while (next < queue.length) {
      found.sort(before);
      const head = queue[next];
      if (found.length >= limit && before(found[limit - 1], { rank: head.estimate, first: head.page.first }) <= 0) break;
      const batch = queue.slice(next, next + 8);
      next += batch.length;
      const checked = await Promise.all(batch.map((entry) => this.check(entry, queryTerms, perPage)));
      found.push(...checked.filter(Boolean));
    }
    found.sort(before);
    const everyShort = queryTerms.every((term) => Array.from(term).length <= 2);
    const exact = next >= queue.length || everyShort;
    const total = next >= queue.length ? found.length : everyShort ? queue.length : found.length + (queue.length - next);
    return { terms: queryTerms, pages: found.slice(0, limit), total, exact };
  }

  /** A row's text followed by the rest of its section from the next passages, `more` folded characters of it at least. */
  async textFrom(row, more) {
    let text = row.text;
    let last = row;
    let added = 0;
    while (added < more && last.id + 1 < this.meta.sections) {
      const next = await this.row(last.id + 1);
      if (next.url !== row.url || next.part !== last.part + 1) break;
      const chars = Array.from(next.text);
      const rest = chars.slice(Math.min(this.meta.overlap, chars.length)).join("");
      text += rest;
      added += Array.from(fold(rest)).length;
      last = next;
    }
    return text;
  }

  /**
   * The page's matching sections, those whose titles may match first, then in page order, read
   * until `perPage` match and every term is seen.
   */
  async check(entry, queryTerms, perPage) {
    const ids = [...entry.ids].sort((a, b) => entry.titled.has(b) - entry.titled.has(a) || a - b);
    // A term longer than a row's overlap may run on into the next passages of its section.
    const runOn = Math.max(...queryTerms.map((term) => Array.from(term).length));
    const long = runOn > this.meta.head;
    const sections = [];
    const seen = new Set();
    let pageTitle = "";
    let next = 0;
    while (next < ids.length && (sections.length < perPage || seen.size < queryTerms.length)) {
      const batch = ids.slice(next, next + Math.max(1, Math.min(perPage, 8)));
      next += batch.length;
      for (const row of await Promise.all(batch.map((id) => this.row(id)))) {
        pageTitle = row.page;
        // A long section comes in passages; only the first one is read after the title.
        const title = row.part ? "" : fold(row.title);
        const text = long ? await this.textFrom(row, runOn) : row.text;
        const hay = title + fold(text);
        const hits = queryTerms.filter((term) => hay.includes(term));
        if (!hits.length) continue;
        hits.forEach((term) => seen.add(term));
        const titleHit = hits.some((term) => title.includes(term));
        const same = sections.find((section) => section.url === row.url);
        if (same) same.titleHit ||= titleHit;
        else sections.push({ ...row, text, titleHit });
      }
    }
    if (seen.size !== queryTerms.length) return null;
    const head = sections[0].id === entry.page.first ? fold(sections[0].title) : "";
    const named = head && queryTerms.every((t) => head.includes(t));
    const rank = entry.estimate === 0 ? 0 : named ? 1 : sections.some((s) => s.titleHit) ? 2 : 3;
    const unchecked = ids.length - next;
    const { first, kind, year } = entry.page;
    return { rank, first, kind, year, title: pageTitle, url: sections[0].url, sections, unchecked };
  }
}

// ---------------------------------------------------------------------------------------------
// The page: search box in the header, results, highlighting of the opened page.


function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function pieces(parent, parts) {
  for (const [text, marked] of parts) parent.append(marked ? element("mark", "", text) : document.createTextNode(text));
  return parent;
}

function linkTo(root, url, query) {
  const [path, anchor] = url.split("#");
  const target = new URL(path, root);
  target.searchParams.set("h", query);
  if (anchor) target.hash = anchor;
  return target.href;
}

/** Highlights the query in the page's article (a page opened from a result, with ?h=). */
export function markPage(query) {
  const queryTerms = terms(query);
  const article = document.querySelector("article") || document.querySelector("main");
  if (!queryTerms.length || !article) return;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest("script, style, svg, mark, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const parts = highlight(node.data, queryTerms);
    if (parts.some(([, marked]) => marked)) node.replaceWith(pieces(document.createDocumentFragment(), parts));
  }
}

/**
 * Makes the header's search box search; assets/search-start.js calls it when the reader starts to
 * search (it also opens the box and owns the `s` and `/` keys).
 */
export function start(box) {
  const root = new URL("../", import.meta.url);
  const input = box.querySelector("input[type=search]");
  const toggle = document.getElementById("__search");
  const meta = box.querySelector("[data-search-meta]");
  const list = box.querySelector("[data-search-list]");
  const kindSelect = box.querySelector("[data-search-kind]");
  const yearSelect = box.querySelector("[data-search-year]");
  const search = new Search((path) =>
    fetch(new URL(`search/${path}`, root)).then((response) => {
      if (!response.ok) throw new Error(`${response.status} search/${path}`);
      return response.json();
    }),
  );
  let shown = SHOWN_PAGES;
  let serial = 0;
  let timer = 0;

  const close = () => {
    if (toggle && toggle.checked) toggle.click();
    input.blur();
  };

  async function run() {
    const query = input.value;
    const mine = ++serial;
    if (!terms(query).length) {
      meta.textContent = "输入要查找的文字，例如单位、街道或问题";
      list.replaceChildren();
      return;
    }
    meta.textContent = "正在查找……";
    let result;
    try {
      const manifest = await search.manifest();
      if (yearSelect.options.length === 1) {
        for (const year of manifest.years) {
          const option = element("option", "", `${year}年`);
          option.value = String(year);
          yearSelect.append(option);
        }
      }
      const filters = { kind: kindSelect.value, year: Number(yearSelect.value) };
      result = await search.search(query, { ...filters, limit: shown, perPage: SHOWN_SECTIONS });
    } catch (error) {
      // The browser's reason (such as "Failed to fetch") is English and means nothing to a reader.
      console.warn(error);
      if (mine === serial) meta.textContent = OFFLINE;
      return;
    }
    if (mine !== serial) return;
    render(query, result);
  }

  function render(query, result) {
    const filters = [kindSelect, yearSelect].filter((s) => s.value).map((s) => s.selectedOptions[0].textContent);
    const scope = filters.length ? `（${filters.join("，")}）` : "";
    const shownQuery = result.terms.length > 1 ? result.terms.map((t) => `“${t}”`).join("和") : `“${result.terms[0]}”`;
    if (!result.pages.length) {
      meta.textContent = `没有找到包含${shownQuery}的页面${scope}。请检查错字，或换一个较短的词`;
    } else {
      meta.textContent = `${result.exact ? "" : "约 "}${result.total} 个页面包含${shownQuery}${scope}`;
    }
    const items = result.pages.map((page) => {
      const item = element("li", "md-search-result__item");
      const link = element("a", "md-search-result__link");
      link.href = linkTo(root, page.url, query);
      const article = element("article", "md-search-result__article md-typeset");
      const head = pieces(element("h1", "md-search-result__title"), highlight(page.title, result.terms));
      article.append(element("span", "search-kind", page.kind === "notice" ? `${KINDS.notice} · ${page.year}年` : KINDS[page.kind]), head);
      const first = page.sections[0];
      article.append(pieces(element("p", "search-snippet"), highlight(first.text || first.title, result.terms, 90)));
      link.append(article);
      item.append(link);
      for (const section of page.sections.slice(1, SHOWN_SECTIONS)) {
        const sub = element("a", "md-search-result__link search-section");
        sub.href = linkTo(root, section.url, query);
        const body = element("article", "md-search-result__article md-typeset");
        body.append(pieces(element("h2", ""), highlight(section.title, result.terms)));
        body.append(pieces(element("p", "search-snippet"), highlight(section.text, result.terms, 90)));
        sub.append(body);
        item.append(sub);
      }
      if (page.unchecked || page.sections.length > SHOWN_SECTIONS) item.append(element("p", "search-more-sections", "本页还有其他匹配的小节"));
      return item;
    });
    if (result.total > result.pages.length) {
      const more = element("li", "search-more");
      const button = element("button", "md-button", "显示更多结果");
      button.type = "button";
      button.addEventListener("click", () => {
        shown += SHOWN_PAGES;
        run();
      });
      more.append(button);
      items.push(more);
    }
    list.replaceChildren(...items);
  }

  const schedule = () => {
    shown = SHOWN_PAGES;
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  };
  input.addEventListener("input", schedule);
  kindSelect.addEventListener("change", schedule);
  yearSelect.addEventListener("change", schedule);
  box.querySelector("form").addEventListener("reset", () => setTimeout(schedule));
  box.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  box.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (at === -1) (step > 0 ? links[0] : input).focus();
      else if (at + step < 0) input.focus();
      else links[Math.min(at + step, links.length - 1)].focus();
    } else if (event.key === "Escape") {
      close();
    }
  });
  // What was typed while this script was on its way.
  if (input.value) schedule();
}
