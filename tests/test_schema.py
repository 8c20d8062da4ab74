from __future__ import annotations

from generator.archive import notice_files
from generator.cli import schema_texts
from tests.conftest import REPO


def test_committed_schemas_are_current() -> None:
    """Run `make schema` after changing generator/model.py."""
    for path, text in schema_texts().items():
        assert (REPO / path).read_text(encoding="utf-8") == text, path


def test_every_data_file_names_its_schema_for_the_editor() -> None:
    for path in notice_files(REPO):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/notice.schema.json\n"), path
    for name in ("publisher", "units"):
        text = (REPO / f"data/{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=schema/{name}.schema.json\n"), name


def test_schema_describes_fields_in_chinese() -> None:
    import json

    schema = json.loads((REPO / "data/schema/notice.schema.json").read_text(encoding="utf-8"))
    category = schema["$defs"]["Category"]["properties"]
    assert category["share"]["description"].startswith("占比（%）= 件数 ÷ 当月诉求总数 × 100，照原文填写")
    assert schema["additionalProperties"] is False
