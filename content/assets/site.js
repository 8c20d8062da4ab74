// Small aids for readers, served as a file: the pages allow no inline script (script-src 'self').
//
// Wide tables scroll sideways inside their box (.table-scroll, from the generator's table macro).
// While a table is wider than its box, a hint above it says so; site.css adds shaded edges where
// there is more to see. A link to "#search" (the 404 page's) opens the site search.

const HINT = "左右滑动查看更多 →";

function hintWideTable(box) {
  // A div, not a paragraph: it is no part of the page's text (its paragraphs, "article p").
  const hint = document.createElement("div");
  hint.className = "scroll-hint";
  // The table is read whole by screen readers: the hint is for eyes only.
  hint.setAttribute("aria-hidden", "true");
  hint.textContent = HINT;
  hint.hidden = true;
  box.before(hint);
  const update = () => {
    hint.hidden = box.scrollWidth - box.clientWidth < 2;
  };
  if (typeof ResizeObserver === "function") new ResizeObserver(update).observe(box);
  else window.addEventListener("resize", update);
  update();
}

function openSearch(event) {
  const toggle = document.getElementById("__search");
  const input = document.querySelector("[data-search-box] input[type=search]");
  if (!toggle || !input) return;
  if (event) event.preventDefault();
  if (!toggle.checked) toggle.click();
  input.focus();
}

function setUp() {
  for (const box of document.querySelectorAll(".md-typeset .table-scroll")) hintWideTable(box);
  for (const link of document.querySelectorAll('a[href="#search"]')) link.addEventListener("click", openSearch);
  if (location.hash === "#search") openSearch();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
else setUp();
