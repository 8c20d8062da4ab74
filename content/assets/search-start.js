// What every page loads for the site search: the `s` and `/` keys, opening the box, and the
// highlighting of a page opened from a result (?h=). The search itself (assets/search.js) is
// fetched only when the reader starts to search, so that reading a page costs nothing for it.

let loading = null;

/** The search module, imported once; a failed import may be tried again. */
function load() {
  loading ||= import("./search.js").catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

function setUp() {
  const query = new URLSearchParams(location.search).get("h");
  // Whoever arrives with ?h= came from a result: the search code is already in their cache.
  if (query) load().then((search) => search.markPage(query), () => {});
  const box = document.querySelector("[data-search-box]");
  const input = box && box.querySelector("input[type=search]");
  if (!input) return;
  const toggle = document.getElementById("__search");
  const meta = box.querySelector("[data-search-meta]");
  const open = () => {
    if (toggle && !toggle.checked) toggle.click();
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    load().then(
      (search) => search.start(box),
      () => {
        started = false;
        meta.textContent = "搜索暂时无法使用：没能读取搜索脚本，请检查网络连接后再试";
      },
    );
  };
  input.addEventListener("focus", () => {
    open();
    start();
  });
  input.addEventListener("keydown", start);
  // Escape closes the box even before the search script has arrived (which closes it too, once
  // there: closing a closed box does nothing), or a slow connection would leave it covering the page.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (toggle && toggle.checked) toggle.click();
    input.blur();
  });
  input.addEventListener("input", start);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || target.isContentEditable) return;
    if (target.closest && target.closest("input, textarea, select")) return;
    if (event.key === "s" || event.key === "S" || event.key === "/") {
      event.preventDefault();
      open();
      input.focus();
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
else setUp();
