"""What no recogniser takes, kept verbatim (text as Markdown paragraphs, tables as generic tables),
and the account of every figure of the source against the draft itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generator.import_records import Context, Report
from generator.import_text import SourceLine, figures, find_tables, fullwidth


def cell(text: str) -> str:
    """A cell of a kept table as printed (full-width punctuation); an empty one as a dash."""
    return fullwidth(text) if text else "—"


def keep(lines: list[SourceLine], heading: str, after: str, context: Context, report: Report) -> None:
    """Lines no recogniser took, verbatim: text as paragraphs, tables as generic tables."""
    if not lines:
        return
    texts = [line.text for line in lines]
    chunks: list[tuple[int, int, dict[str, Any] | None]] = []
    position = 0
    for table in find_tables(texts):
        if table.start > position:
            chunks.append((position, table.start, None))
        rows = [[cell(text) for text in row] for row in table.rows]
        chunks.append((table.start, table.end, {"columns": [fullwidth(c) for c in table.columns], "rows": rows}))
        position = table.end
    if position < len(texts):
        chunks.append((position, len(texts), None))
    current: dict[str, Any] | None = None
    context.placed.update(line.number for line in lines)
    for start, end, grid in chunks:
        if current is None or "table" in current or (grid is None and "plain" in current):
            current = {"after": after, "heading": heading if current is None else f"{heading}（续）"}
            context.extras.append(current)
        if grid is None:
            # Plain text, not Markdown: the data holds what the source printed (*重点*, <90%),
            # and the page shows it as it is.
            current["plain"] = "\n".join(fullwidth(text) for text in texts[start:end])
        else:
            current["table"] = grid
        where = _where([line.number for line in lines[start:end]])
        what = f"表格（{len(grid['rows'])} 行）" if grid else "文字"
        report.kept.append(f"{where}：“{heading}”下的{what}")


def _where(numbers: list[int]) -> str:
    """第 5 行， 第 6–9 行 (consecutive) or 第 6、12 行."""
    if len(numbers) == 1:
        return f"第 {numbers[0]} 行"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第 {numbers[0]}–{numbers[-1]} 行"
    return f"第 {'、'.join(map(str, numbers))} 行"


def unaccounted(candidates: list[SourceLine], values: Any) -> list[SourceLine]:
    """The lines whose figures are not all among the values a recogniser put into the draft."""
    available = Counter(_numbers(values))
    result = []
    for line in candidates:
        needed = Counter(figures(line.text))
        if needed - available:
            result.append(line)
        else:
            available -= needed
    return result


def _numbers(value: Any) -> Iterator[Decimal]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | Decimal):
        yield Decimal(value)
    elif isinstance(value, str):
        yield from figures(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


def account(lines: list[SourceLine], data: dict[str, Any], report: Report) -> None:
    """Every figure of the source looked up in the draft: in a field, in kept text, in a kept
    table, or nowhere (listed with its line number)."""
    extras = data.get("extra_sections", [])
    pools = {
        "mapped": Counter(_numbers({k: v for k, v in data.items() if k != "extra_sections"})),
        "table": Counter(_numbers([extra.get("table") for extra in extras])),
        "text": Counter(_numbers([[extra.get("heading"), extra.get("plain")] for extra in extras])),
    }
    for line in lines:
        for figure in figures(line.text):
            for name, pool in pools.items():
                if pool[figure] > 0:
                    pool[figure] -= 1
                    report.figures[name] += 1
                    break
            else:
                report.not_kept.append(f"第 {line.number} 行：{figure}（{line.text[:30]}）")
