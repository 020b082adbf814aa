"""Where the bundled data lives (``ATLAS_DATA_DIR`` points the atlas at another copy, e.g. for fault tests)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ATLAS_DATA_DIR") or ROOT / "data")
SHAPES_DIR = DATA_DIR / "shapes"
LEDGER_DIR = SHAPES_DIR / "ledger"
MOVEMENTS_DIR = DATA_DIR / "movements"
