"""The repository's automation says what the README says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    assert setups and all(step["with"]["cache-dependency-path"] == "requirements*.lock" for step in setups)  # type: ignore[index]
    # Both venvs' locks: MkDocs' and Zensical's (make test builds with both).
    assert sorted(path.name for path in REPO.glob("requirements*.lock")) == ["requirements-zensical.lock", "requirements.lock"]


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


def _jobs() -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = {}
    for path in WORKFLOWS:
        jobs.update(yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"])
    return jobs


def test_checkouts_fetch_the_whole_history() -> None:
    steps = [step for job in _jobs().values() for step in job["steps"]]
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["fetch-depth"] == 0  # the last-changed dates come from git history


def test_the_deployed_site_is_built_with_the_pages_address() -> None:
    deployed = [job for job in _jobs().values() if any("upload-pages-artifact@" in step.get("uses", "") for step in job["steps"])]
    assert len(deployed) == 1
    steps = deployed[0]["steps"]
    (pages,) = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/configure-pages@")]
    (build,) = [i for i, step in enumerate(steps) if step.get("run") == "make site"]
    assert pages < build
    assert steps[build]["env"]["SITE_URL"] == "${{ steps." + steps[pages]["id"] + ".outputs.base_url }}"
    assert deployed[0]["permissions"] == {"contents": "read", "pages": "read"}


def test_only_pushes_to_main_get_pages_permissions() -> None:
    jobs = _jobs()

    def gated(name: str) -> bool:
        job = jobs[name]
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        return job.get("if") == "github.event_name == 'push' && github.ref == 'refs/heads/main'" or any(map(gated, needs))

    with_pages = [name for name, job in jobs.items() if "pages" in job.get("permissions", {})]
    assert len(with_pages) == 2
    assert all(map(gated, with_pages))
    assert not gated("test")


def test_browser_tests_in_ci_use_the_runners_chrome() -> None:
    (test,) = [job for job in _jobs().values() if any(step.get("run") == "make test" for step in job["steps"])]
    assert test["env"]["CHROMIUM"] == "/usr/bin/google-chrome"
    assert 'CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")' in (REPO / "tests/test_browser.py").read_text(
        encoding="utf-8"
    )


def test_dependabot_updates_the_actions_and_the_python_dependencies() -> None:
    config = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert {update["package-ecosystem"] for update in config["updates"]} == {"github-actions", "pip"}
    assert all(update["directory"] == "/" and update["schedule"]["interval"] for update in config["updates"])


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    actionlint = Path(sys.executable).with_name("actionlint")
    command = [str(actionlint), "-no-color", *map(str, files)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def test_actionlint_passes_the_workflows_and_catches_a_mistake(tmp_path: Path) -> None:
    result = _actionlint()  # as make test runs it: every workflow of the repository
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = tmp_path / "ci.yml"
    text = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    workflow.write_text(text.replace("steps.pages.outputs.base_url", "steps.page.outputs.base_url"), encoding="utf-8")
    result = _actionlint(workflow)
    assert result.returncode == 1
    assert 'property "page" is not defined in object type' in result.stdout


def _fake_tools(bin_dir: Path, *, sudo_allowed: bool) -> Path:
    """Stand-ins for id, dpkg, sudo and apt-get that log their calls: a non-root runner without fonts."""
    log = bin_dir / "calls.log"
    scripts = {
        "id": "echo 1000",
        "dpkg": '[ "$2" != fonts-noto-cjk ]',  # everything but the fonts is installed
        "sudo": f'echo "sudo $*" >> {log}; ' + ('[ "$1" = -n ] && shift; exec "$@"' if sudo_allowed else "exit 1"),
        "apt-get": f'echo "apt-get $*" >> {log}',
        "chrome": "exit 0",
    }
    bin_dir.mkdir()
    for name, body in scripts.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return log


def _browser_deps(bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CHROMIUM": str(bin_dir / "chrome")}
    return subprocess.run(
        ["make", "-s", "browser-deps"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_browser_deps_installs_what_is_missing_through_sudo_when_not_root(tmp_path: Path) -> None:
    log = _fake_tools(tmp_path / "bin", sudo_allowed=True)
    result = _browser_deps(tmp_path / "bin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert log.read_text(encoding="utf-8").splitlines() == [
        "sudo -n true",
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk",
        "apt-get install -y -qq fonts-noto-cjk",  # the browser comes from CHROMIUM, not apt
    ]


def test_browser_deps_says_what_to_install_without_root_or_sudo(tmp_path: Path) -> None:
    _fake_tools(tmp_path / "bin", sudo_allowed=False)
    result = _browser_deps(tmp_path / "bin")
    assert result.returncode != 0
    assert result.stdout == "测试需要\uff1asudo apt-get install fonts-noto-cjk\n"
