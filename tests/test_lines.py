"""The line reader (generator/lines.py) gives exactly what the event loader gives, on every file it takes.

It reads only files of the usual shape and leaves everything else to the event loader, which
says what is wrong; so these tests compare the two readers on real, synthetic and mutated files.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator import load
from generator.characters import clean
from generator.errors import DataError
from generator.lines import read_lines
from tests.conftest import REPO
from tests.synthetic import make_archive

LIMITS = {"max_depth": load.MAX_DEPTH, "max_values": load.MAX_VALUES, "max_text": load.MAX_TEXT}


def by_lines(text: str) -> tuple[Any] | None:
    cleaned, forbidden = clean(text)
    return None if forbidden else read_lines(cleaned.text, **LIMITS)


def by_events(text: str, monkeypatch: pytest.MonkeyPatch) -> load.Document:
    with monkeypatch.context() as patched:
        patched.setattr(load, "read_lines", lambda *args, **kwargs: None)
        return load.parse(text, "data/notices/2023-08.yaml", lenient=True)


def same_as_events(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the line reader took ``text``; when it did, assert the event loader reads the same."""
    taken = by_lines(text)
    if taken is None:
        return False
    document = by_events(text, monkeypatch)
    assert (document.problems, document.broken) == ((), frozenset())
    assert taken[0] == document.data
    assert repr(taken[0]) == repr(document.data), "the same types and digits (118.70 stays Decimal('118.70'))"
    return True


def test_the_usual_files_are_read_by_lines(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive", ("2023-08", "2023-10"))
    files = [REPO / "data/notices/2023-08.yaml", REPO / "data/publisher.yaml", *sorted(root.glob("data/notices/*.yaml"))]
    for path in files:
        assert by_lines(path.read_text(encoding="utf-8")) is not None, path


def test_every_file_it_takes_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "archive")
    files = sorted({*REPO.glob("data/**/*.yaml"), *REPO.glob("tests/**/*.yaml"), *root.glob("data/**/*.yaml")})
    taken = 0
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        try:
            taken += same_as_events(text, monkeypatch)
        except DataError:
            pytest.fail(f"{path}: taken by the line reader, refused by the event loader")
    assert taken >= 20


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: b # note\nc: 'it''s' # note\nd: \"x y\"\n", {"a": "b", "c": "it's", "d": "x y"}),
        ("a:\n- 1\n- -5\n- {b: 2, c: x y , d: 118.70}\ne:\n  f: a:b\n", None),
        ("- a: 1\n  b:\n  - x\n-   c: ~\n", None),
        ("a:  # note\n    b: true\n", {"a": {"b": True}}),
        # Lists of mappings: items written alike, items whose dash is wider, a list as deep as its
        # field and a field after it, a list inside an item.
        ("a:\n- b: 1\n  c: 2\n- b: 3\n-   b: 4\n    c: 5\nd: 6\n", None),
        ("a:\n  - b: 1\n    c:\n    - x\n    - y\n  - b: 2\n    e:\n      f: 1\ng: 3\n", None),
        ("- b: 1\n  c:\n  - d: 2\n  - d: 3\n- b: 4\n", None),
        ("a:\n- b: 1\n c: 2\n", "between two levels"),
        ("a:\n  b: 1\n- c: 2\n", "item after a mapping"),
        ("a: b: c\n", "refused"),
        ("a:\nb: 1\n", "empty"),
        ("a: b\n  c\n", "continued"),
        ("a: 'b\n  c'\n", "continued"),
        ("a: &x 1\nb: *x\n", "anchor"),
        ("a: !!str 1\n", "tag"),
        ("a: |\n  x\n", "block text"),
        ('a: "x\\ty"\n', "escape"),
        ("a: 1\na: 2\n", "duplicate"),
        ("null: 1\n", "not a field name"),
        ("<<: {a: 1}\n", "merge key"),
        ("a: 007\n", "refused number"),
        ("---\na: 1\n", "document marker"),
        ("a: 1\n---\nb: 2\n", "two documents"),
        ("a:\n\tb: 1\n", "tab"),
        ("a: 1\r\nb: 2\r\n", "carriage return"),
        ("- - 1\n", "list in a list"),
        ("a: [1, 2]\n", "flow list"),
        ("a: {b: [1]}\n", "flow mapping with a list"),
        ("a: {b: 'x'}\n", "flow mapping with quotes"),
        ("a: {b: 1} # note\n", "flow mapping and a comment"),
        ("  a: 1\n", "indented first line"),
        ("a:\n    b: 1\n  c: 2\n", "misplaced key"),
        ("a: -\n", "a dash"),
        ("a: 1\n- 2\n", "item in a mapping"),
        ("a: " + "x" * (load.MAX_TEXT + 1) + "\n", "too long"),
        ("# only a comment\n", "empty file"),
    ],
)
def test_shapes(text: str, data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dict: taken, with this data; None: taken; a text: left to the event loader, for this reason."""
    if isinstance(data, str):
        assert by_lines(text) is None, data
        return
    assert same_as_events(text, monkeypatch)
    if data is not None:
        assert by_lines(text) == (data,)


def test_nesting_near_the_limit_is_left_to_the_event_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    deepest = "".join(f"{'  ' * level}k:\n" for level in range(load.MAX_DEPTH - 1)) + "  " * (load.MAX_DEPTH - 1) + "k: 1\n"
    assert same_as_events(deepest, monkeypatch)
    deeper = "k:\n" + "".join("  " + line + "\n" for line in deepest.splitlines())
    assert by_lines(deeper) is None
    with pytest.raises(DataError, match="嵌套层数过多"):
        by_events(deeper, monkeypatch)


# What the mutations insert: YAML's indicators, words and numbers it reads specially, and text.
PIECES = [" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", "''", '"', "{", "}", "[", "]", ",", ", ", "&a", "*a", "!"]
PIECES += ["!!str ", "|", ">", "?", "? ", "%", "@", "`", "\\", "\\n", "\n", "\n  ", "0", "1.50", "-0", "007", "1e3"]
PIECES += ["x", "null", "true", "~", "中", "\u3000", "\xa0", "---", "...", "<<", "a:", "k: v", "- k: v", "{a: 1}"]
PIECES += ["{a: 1, b: 2}", "'x'", '"y"', "\t", "\r", "\u200b", "inf", "NaN", "yes", "0x1", "+1", ".5"]


def mutated(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    tops = [number for number, line in enumerate(lines) if line[:1].isalpha()]
    start = rng.choice(tops)
    lines = lines[start : start + rng.randint(5, 80)]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        i = rng.randrange(len(lines))
        line, choice = lines[i], rng.random()
        if choice < 0.45:
            j = rng.randint(0, len(line))
            lines[i] = line[:j] + rng.choice(PIECES) + line[j:]
        elif choice < 0.6 and line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + line[j + rng.randint(1, 4) :]
        elif choice < 0.7:
            lines.insert(i, rng.choice(lines))
        elif choice < 0.8 and len(lines) > 1:
            del lines[i]
        elif choice < 0.9:
            lines[i] = " " * rng.randint(1, 3) + line if rng.random() < 0.5 else line[rng.randint(1, 2) :]
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def test_mutated_files_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small changes to real and synthetic files: whatever the line reader still takes, it reads as the event loader does."""
    root = make_archive(tmp_path / "archive", ("2023-12",))
    seeds = [
        (REPO / "data/notices/2023-08.yaml").read_text(encoding="utf-8"),
        (REPO / "data/units.yaml").read_text(encoding="utf-8"),
    ]
    seeds += [path.read_text(encoding="utf-8") for path in root.glob("data/notices/*.yaml")]
    rng = random.Random(12345)
    taken = 0
    for _ in range(3000):
        text = mutated(rng, rng.choice(seeds))
        try:
            taken += same_as_events(text, monkeypatch)
        except DataError as error:
            pytest.fail(f"taken by the line reader, refused by the event loader: {error.problems[0]}\n{text}")
    assert taken >= 300, "the mutations should leave many files the line reader takes"


def test_positions_are_the_event_loaders(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "data/notices/2023-08.yaml").read_text(encoding="utf-8").replace("热线电话", "\u200b热线\u200b电话")
    assert by_lines(text) is not None
    document, expected = load.parse(text, "x.yaml"), by_events(text, monkeypatch)
    assert dict(document.values) == dict(expected.values)
    assert dict(document.keys) == dict(expected.keys)
    assert document.locate(("intake", "lines", 0, "name")) == expected.locate(("intake", "lines", 0, "name"))


def test_lines_read_before_give_each_file_its_own_lists_and_mappings() -> None:
    """Lines are remembered across files (most recur every month), their values too; the lists and
    mappings they make up, flow rows included, are new for each file, as the event loader's are."""
    text = "a:\n- {b: 1, c: x}\n- d: 118.70\nrows:\n- {b: 1, c: x}\n"
    first, second = read_lines(text, **LIMITS), read_lines(text, **LIMITS)
    assert first is not None and second is not None
    one: Any = first[0]
    other: Any = second[0]
    assert one == other == {"a": [{"b": 1, "c": "x"}, {"d": Decimal("118.70")}], "rows": [{"b": 1, "c": "x"}]}
    mine = [one, one["a"], *one["a"], one["rows"][0]]
    theirs = [other, other["a"], *other["a"], other["rows"][0]]
    assert all(a is not b for a in mine for b in theirs)
    assert one["a"][0] is not one["rows"][0]


def test_a_text_with_anything_to_clean_is_cleaned_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line reader takes no text holding a character clean() removes or refuses (nor one beyond
    U+FFFF), also when its other lines were read before; the loader cleans such a file and then reads it by lines."""
    for text in ("a: x\nb: y\n", "a: x\nb: y\u200bz\n", "a: x\nb: y\x07\n", "a: x\nb: \U00020000\n"):
        assert (read_lines(text, **LIMITS) is not None) is (text == "a: x\nb: y\n"), text
    taken: list[tuple[Any] | None] = []

    def reading(text: str, **limits: int) -> tuple[Any] | None:
        taken.append(read_lines(text, **limits))
        return taken[-1]

    monkeypatch.setattr(load, "read_lines", reading)
    assert load.parse("a: x\nb: y\u200bz\n", "data/x.yaml").data == {"a": "x", "b": "yz"}
    assert taken == [None, ({"a": "x", "b": "yz"},)]
    with pytest.raises(DataError, match="含有不允许的控制字符 U\\+0007"):
        load.parse("a: x\nb: y\x07\n", "data/x.yaml")
