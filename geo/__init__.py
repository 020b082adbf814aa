"""Historical migration atlas: the core library (no Streamlit here).

Modules
-------
atoms
    Natural Earth admin-1 pieces, simplified as one coverage and split by cut lines.
ledger
    The reviewable ledger of territorial change and its area expressions.
builder
    ``python -m geo build-shapes``: the border layers of ``data/shapes``.
borders
    The border layers at a date: which polity, republic, oblast and occupier held a point.
reference
    Agreement of the project's polities with external snapshot maps.
"""

from geo.borders import Borders, load_borders

__all__ = ["Borders", "load_borders"]
