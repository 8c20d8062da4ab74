"""The repository's automation says what the README says."""

from __future__ import annotations

import json
import re

import yaml

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))


def _steps() -> list[dict[str, str]]:
    steps = []
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(workflow, dict) and workflow.get("jobs"), path
        for job in workflow["jobs"].values():
            steps.extend(job.get("steps", []))
    return steps


def _makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), flags=re.M))


def test_workflows_run_only_documented_make_targets() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    runs = [step["run"] for step in _steps() if "run" in step]
    assert runs
    targets = []
    for run in runs:
        match = re.fullmatch(r"make ([a-z-]+)", run.strip())
        assert match, f"a workflow step should call one make target: {run!r}"
        targets.append(match.group(1))
    assert {"test", "site"} <= set(targets)  # the README's two commands
    assert set(targets) <= _makefile_targets()
    for target in targets:
        assert f"make {target}" in readme, f"make {target} is not in the README"


def test_ci_script_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", script, flags=re.M)
    assert "make test" in (REPO / "README.md").read_text(encoding="utf-8")


def test_actions_are_pinned_to_commits() -> None:
    uses = [step["uses"] for step in _steps() if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_dependency_cache_is_keyed_on_the_lock_file() -> None:
    setups = [step for step in _steps() if step.get("uses", "").startswith("actions/setup-python@")]
    assert setups and all(step["with"]["cache-dependency-path"] == "requirements.lock" for step in setups)  # type: ignore[index]


def test_editor_settings_point_at_the_committed_schemas() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema, pattern in settings["yaml.schemas"].items():
        assert (REPO / schema).is_file(), schema
        assert list(REPO.glob(pattern)), pattern


def test_pre_commit_runs_yamllint_validation_and_ruff() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = " ".join(hook["entry"] for repo in config["repos"] for hook in repo["hooks"])
    for tool in ("yamllint", "-m generator validate", "ruff check", "ruff format"):
        assert tool in entries


def test_pull_request_template_has_a_checklist() -> None:
    template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 8
