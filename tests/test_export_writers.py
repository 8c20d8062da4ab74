"""The downloads write their CSV files themselves: the bytes the standard library's ``csv.writer``
writes. (Their one-line JSON is compared with ``json.dumps`` in tests/test_export.py.)"""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.export import _csv_cell, _csv_files, _floats, _kinds, _TableRows
from generator.tables import WORK_UPDATES, Cell

# Characters csv.writer treats apart (comma, quote, line breaks), the ones that start a formula,
# and any other; made-up texts of one notice's work updates.
_CHARACTERS = st.one_of(st.sampled_from(',"\r\n\t\x0b\x0c\x00=+-@\uff1d 甲'), st.characters(exclude_categories=["Cs"]))
_UPDATES = st.lists(st.tuples(st.text(_CHARACTERS, max_size=12), st.text(_CHARACTERS, max_size=12)), max_size=5)


@given(notices=st.lists(_UPDATES, max_size=4))
@settings(max_examples=300, deadline=None)
def test_each_file_is_what_csv_writer_writes_of_its_rows(notices: list[list[tuple[str, str]]]) -> None:
    rows: list[list[Cell]] = [
        [f"2024-{i + 1:02}", j, title, text] for i, updates in enumerate(notices) for j, (title, text) in enumerate(updates, 1)
    ]
    columns: list[list[Cell]] = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in WORK_UPDATES.all_columns]
    counts = [len(updates) for updates in notices]
    files = _csv_files(_TableRows(WORK_UPDATES, columns, counts, list(map(_kinds, columns))))
    start = 0
    for count, content in zip(counts, files, strict=True):
        expected = io.StringIO(newline="")
        writer = csv.writer(expected, lineterminator="\r\n")
        writer.writerow([column.title for column in WORK_UPDATES.all_columns])
        columns_and_rows = [zip(WORK_UPDATES.all_columns, row, strict=True) for row in rows[start : start + count]]
        writer.writerows([_csv_cell(column, cell) for column, cell in row] for row in columns_and_rows)
        assert content == ("\ufeff" + expected.getvalue()).encode("utf-8")
        start += count


def test_each_number_of_a_column_becomes_the_float_it_alone_becomes() -> None:
    # Converted once a value: equal Decimals written differently, and zero of either sign.
    for cells in (
        [Decimal("1.5"), Decimal("1.50"), None, Decimal("1.5"), Decimal("95.23"), Decimal("1E+2")],
        [Decimal("0"), Decimal("-0"), Decimal("0.0"), Decimal("-0.00"), None, Decimal("2")],
        [Decimal("-0"), Decimal("0")],
    ):
        alone = [None if cell is None else float(cell) for cell in cells]
        signs = [None if value is None else math.copysign(1, value) for value in alone]
        floats = _floats(cells)
        assert floats == alone
        assert [None if value is None else math.copysign(1, value) for value in floats] == signs
