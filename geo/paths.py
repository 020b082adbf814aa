"""Where the bundled data lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SHAPES_DIR = DATA_DIR / "shapes"
LEDGER_DIR = SHAPES_DIR / "ledger"
MOVEMENTS_DIR = DATA_DIR / "movements"
