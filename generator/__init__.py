"""Generator of the 12345 hotline notice archive: YAML data in, Markdown pages out.

The pipeline is ``read_archive`` (load and validate every file) then ``render_site``; it knows
nothing of MkDocs, which only receives the pages.
"""

from __future__ import annotations

from generator.archive import Archive, read_archive
from generator.errors import DataError, GeneratorError, Problem
from generator.pages import Asset, Page, Site, render_site

__all__ = ["Archive", "Asset", "DataError", "GeneratorError", "Page", "Problem", "Site", "read_archive", "render_site"]
