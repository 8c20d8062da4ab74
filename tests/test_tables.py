"""A long table's cells made a column at a time are what its columns make of its items."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator import read_archive
from generator.archive import Archive
from generator.model import MessageTotals, Notice
from generator.tables import TABLES


@pytest.fixture(scope="module")
def archive(synthetic_root: Path) -> Archive:
    return read_archive(synthetic_root)


def _variants(archive: Archive) -> list[Notice]:
    """The synthetic notices and made-up changes of the first: without the long tables, with a
    printed total row of its own label and without one."""
    notice = archive.notices[0].notice
    messages = notice.web_messages
    assert messages is not None and notice.rankings is not None
    total = MessageTotals(label="合计（假）", total=3, replied=2, unreplied=1)
    return [
        *(record.notice for record in archive.notices),
        notice.model_copy(update={"rankings": None, "web_messages": None}),
        notice.model_copy(update={"web_messages": messages.model_copy(update={"total_row": total})}),
        notice.model_copy(update={"web_messages": messages.model_copy(update={"total_row": None})}),
    ]


def test_cells_made_at_once_are_what_the_columns_make_of_the_items(archive: Archive) -> None:
    tables = [table for table in TABLES if table.cells is not None]
    assert {table.name for table in tables} == {"case_areas", "rankings", "web_messages"}
    notices = _variants(archive)
    for table in tables:
        at_once = table.columns_of(notices, archive.units)
        by_item = replace(table, cells=None).columns_of(notices, archive.units)
        assert at_once == by_item, table.name
        # Each cell of the same type too: 1 and True, or Decimal("1") and 1, would be equal.
        assert [list(map(type, column)) for column in at_once[0]] == [list(map(type, column)) for column in by_item[0]]
        assert sum(at_once[1]) > len(notices), f"{table.name}: the synthetic notices have rows of it"
