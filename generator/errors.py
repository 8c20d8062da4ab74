"""The one exception hierarchy of the generator.

Library code raises these; only the CLI and the MkDocs hook turn them into output.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one data file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # Line 0: the problem is the file (or folder) itself, not a place in it.
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class GeneratorError(Exception):
    """Base class of every error the generator raises on purpose."""


class DataError(GeneratorError):
    """The data is invalid; carries every problem found in every file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        files = len({p.file for p in self.problems})
        lines.append(f"数据校验未通过：{files} 个文件中共有 {len(self.problems)} 处问题。")
        return "\n".join(lines)
