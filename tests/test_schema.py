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
    publisher = (REPO / "data/publisher.yaml").read_text(encoding="utf-8")
    assert publisher.startswith("# yaml-language-server: $schema=schema/publisher.schema.json\n")


def test_schema_describes_fields_in_chinese() -> None:
    import json

    schema = json.loads((REPO / "data/schema/notice.schema.json").read_text(encoding="utf-8"))
    category = schema["$defs"]["Category"]["properties"]
    assert category["share"]["description"] == "占比(%),照原文填写,如 17.5。"
    assert schema["additionalProperties"] is False
