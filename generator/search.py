"""Words the site search must keep whole, taken from the data itself."""

from __future__ import annotations

from generator.archive import Archive
from generator.model import UnitGroup

# Street offices are named "<district><street>街道办事处"; kept whole, a search for the district
# alone would no longer match them, so only shorter, self-contained names are added.
_WHOLE_GROUPS = frozenset({UnitGroup.county, UnitGroup.district, UnitGroup.department})


def search_terms(archive: Archive) -> list[str]:
    """Unit, district and category names, sorted, for the Chinese word segmenter."""
    terms: set[str] = set()
    for record in archive.notices:
        notice = record.notice
        terms.update(category.name for category in notice.categories)
        terms.update(area.district for case in notice.cases for area in case.areas)
        if notice.rankings is not None:
            for group in notice.rankings.groups:
                if group.group in _WHOLE_GROUPS:
                    terms.update(row.unit for row in group.rows)
        if notice.web_messages is not None:
            terms.update(row.unit for row in notice.web_messages.rows)
    return sorted(terms)
