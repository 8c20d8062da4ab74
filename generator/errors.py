"""The one exception hierarchy of the generator.

Library code raises these; only the CLI and the MkDocs hook turn them into output.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one data file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    path: str
    message: str
    consequence: bool = field(default=False, compare=False)
    """A problem that follows from another one at the same place (listed after it)."""

    def __str__(self) -> str:
        # Line 0: the problem is the file (or folder) itself, not a place in it.
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class GeneratorError(Exception):
    """Base class of every error the generator raises on purpose."""


class DataError(GeneratorError):
    """The data is invalid; carries every problem found in every file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path, p.consequence, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        files = len({p.file for p in self.problems})
        # A check that could not run is a consequence, not one more problem to correct.
        count = sum(not p.consequence for p in self.problems)
        lines.append(f"数据校验未通过：{files} 个文件中共有 {count} 处问题。")
        return "\n".join(lines)
