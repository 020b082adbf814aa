"""Movement records: the canonical schema, reading archive spreadsheets, mapping their columns.

The canonical columns (documented in the README):

``id, origin, destination, via, date, date_end, count, count_low, count_high, unit,
nationality, category, source, archival_ref, notes``

Files are read as they come from archives: CSV in UTF-8 (with or without BOM),
UTF-16, Windows-1251 or KOI8-R, separated by ``,``, ``;`` or tab, or XLSX (first or a
chosen sheet). Every cell is read as text; nothing is converted on the way in.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.names import fold

CANONICAL = (
    "id", "origin", "destination", "via", "date", "date_end", "count", "count_low", "count_high", "unit",
    "nationality", "category", "source", "archival_ref", "notes", "part_of", "detail_of",
)
REQUIRED = ("origin", "destination", "date")

#: Known headers (English, Russian, Kazakh) -> canonical column. Compared after folding.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "№", "no", "nr", "номер", "# ", "#", "№ п/п", "п/п", "нөмір", "record"),
    "origin": ("origin", "from", "откуда", "откуда прибыл", "откуда прибыли", "откуда выселен", "откуда выселены",
               "место выезда", "место отправления", "прибыл из", "прибыли из", "қайдан", "қайдан келді", "шыққан жері"),
    "destination": ("destination", "to", "куда", "куда направлен", "куда направлены", "место назначения",
                    "место вселения", "место поселения", "место прибытия", "қайда", "қайда жіберілді", "баратын жері"),
    "via": ("via", "через", "транзит", "пересадка", "арқылы"),
    "date": ("date", "дата", "дата прибытия", "дата выезда", "дата отправления", "дата события", "год", "күні", "жылы"),
    "date_end": ("date_end", "date end", "end date", "дата окончания", "по", "до"),
    "count": ("count", "number", "persons", "кол-во", "кол-во чел.", "кол-во чел", "количество", "количество человек",
              "число", "чел.", "человек", "саны", "адам саны"),
    "count_low": ("count_low", "минимум", "от"),
    "count_high": ("count_high", "максимум"),
    "unit": ("unit", "ед.", "единица", "единица учета", "бірлік"),
    "nationality": ("nationality", "национальность", "нац.", "ұлты", "ethnicity"),
    "category": ("category", "категория", "санаты", "type", "тип"),
    "source": ("source", "источник", "дереккөз", "көзі"),
    "archival_ref": ("archival_ref", "archival ref", "шифр", "архивный шифр", "архивная ссылка", "ф/о/д/л", "архив"),
    "notes": ("notes", "note", "примечание", "примечания", "ескерту", "comment", "comments"),
    "part_of": ("part_of", "part of", "входит в", "итог", "total id"),
    "detail_of": ("detail_of", "detail of", "уточняет", "детализация", "нақтылайды"),
}
_ALIAS_TO_COLUMN = {fold(a).strip(): col for col, aliases in HEADER_ALIASES.items() for a in aliases}

#: Largest file read (bytes) unless told otherwise; rows beyond MAX_ROWS are refused.
MAX_BYTES = 50_000_000
MAX_ROWS = 1_000_000


class TableError(ValueError):
    """A file that cannot be read as a table; the message is one line for the user."""


@dataclass
class Table:
    """A file read as text cells, with what was detected."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str
    sheet: str = ""


def detect_encoding(data: bytes) -> str:
    """The encoding of archive CSV bytes: BOMs, then UTF-8, then Windows-1251 or KOI8-R.

    Windows-1251 and KOI8-R both decode any byte; the one whose text has more
    lower-case Cyrillic letters (running text is mostly lower case) wins.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(data) > 3 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        return "utf-16-le"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:200_000]

    def score(enc: str) -> int:
        text = sample.decode(enc, errors="replace")
        return sum(1 for c in text if "а" <= c <= "я") - sum(1 for c in text if "А" <= c <= "Я")

    return max(("cp1251", "koi8_r"), key=score)


def detect_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for d in (";", ",", "\t"):
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines]
        if counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        s = consistent * 100 + counts[0]
        if s > best_score:
            best, best_score = d, s
    return best


def read_table(
    source: str | Path | bytes,
    *,
    name: str = "",
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read a CSV or XLSX file as a table of text cells.

    Parameters
    ----------
    source : str, pathlib.Path or bytes
        A path, or the file's bytes (then ``name`` tells the type).
    encoding, delimiter : str, optional
        Override the detection (``cp1251``, ``;`` ...).
    sheet : str or int, optional
        XLSX sheet (default: the first).
    max_bytes, max_rows : int
        Limits; beyond them a :class:`TableError` says so.

    Returns
    -------
    Table
        Raises :class:`TableError` with a one-line reason for an empty, binary,
        broken or over-large file.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise TableError(f"cannot read {name}: {exc.strerror or exc}") from None
        if size > max_bytes:
            raise TableError(f"{name} is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
        data = path.read_bytes()
    else:
        data = bytes(source)
        if len(data) > max_bytes:
            raise TableError(f"{name or 'the file'} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    if not data.strip():
        raise TableError(f"{name or 'the file'} is empty")
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data, name, sheet)
    else:
        table = _read_csv(data, name, encoding, delimiter)
    if len(table.frame) > max_rows:
        raise TableError(f"{name or 'the file'} has {len(table.frame):,} rows; the limit is {max_rows:,}")
    return table


def _read_csv(data: bytes, name: str, encoding: str | None, delimiter: str | None) -> Table:
    enc = encoding or detect_encoding(data)
    if b"\x00" in data[:4096] and not enc.startswith("utf-16"):
        raise TableError(f"{name or 'the file'} is not a text table (binary content)")
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        hint = f"; the bytes look like {detect_encoding(data)}" if encoding else ""
        raise TableError(f"{name or 'the file'} is not readable as {enc}: {exc}{hint}") from None
    if sum(1 for c in text[:4096] if not c.isprintable() and c not in "\r\n\t") > 40:
        raise TableError(f"{name or 'the file'} is not a text table (binary content)")
    delim = delimiter or detect_delimiter(text)
    fast = _read_csv_fast(text, delim, name)
    if fast is not None:
        return Table(fast, enc, delim)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    except csv.Error as exc:
        raise TableError(f"{name or 'the file'}: broken CSV ({exc})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise TableError(f"{name or 'the file'} has no rows")
    header = [h.strip() for h in rows[0]]
    if len(header) < 2:
        raise TableError(f"{name or 'the file'} has a single column; is the delimiter right (detected {delim!r})?")
    width = len(header)
    body = [(r + [""] * width)[:width] if len(r) <= width else r[:width - 1] + [delim.join(r[width - 1:])] for r in rows[1:]]
    return Table(_frame(header, body, name), enc, delim)


def _read_csv_fast(text: str, delim: str, name: str) -> pd.DataFrame | None:
    """The same table through pandas' C parser, when every row has at most the header's cells.

    Returns None (the careful reader then runs) for anything the C parser would read differently:
    a row with more cells than the header (kept, joined into the last column, by the careful
    reader), a header of fewer than two cells, or a parser error.
    """
    try:
        raw = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=True, engine="c", quoting=csv.QUOTE_MINIMAL, doublequote=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error, OverflowError, IndexError):
        return None
    if raw.empty:
        return None
    raw = raw.fillna("")
    blank = np.ones(len(raw), dtype=bool)
    for c in raw.columns:
        blank &= (raw[c].str.strip() == "").to_numpy(bool)
    raw = raw[~blank]
    if raw.empty:
        return None
    header = [str(h).strip() for h in raw.iloc[0]]
    while header and header[-1] == "" and len(header) > raw.shape[1]:
        header.pop()
    if len(header) < 2:
        return None
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    return _frame_from(header, body, name)


def _read_xlsx(data: bytes, name: str, sheet: str | int | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(f"{name or 'the file'} is not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            ws = wb[sheet]
    except (KeyError, IndexError):
        raise TableError(f"{name or 'the file'} has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}") from None
    rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise TableError(f"sheet {ws.title!r} of {name or 'the file'} is empty")
    header = [h.strip() for h in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return Table(_frame(header, body, name), "xlsx", "", ws.title)


def _column_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    cols = []
    for h in header:
        h = h or "column"
        if h in seen:
            seen[h] += 1
            cols.append(f"{h} ({seen[h]})")
        else:
            seen[h] = 1
            cols.append(h)
    return cols


def _frame(header: list[str], body: list[list[str]], name: str) -> pd.DataFrame:
    return pd.DataFrame(body, columns=_column_names(header), dtype=str)


def _frame_from(header: list[str], body: pd.DataFrame, name: str) -> pd.DataFrame:
    """A frame of text cells from the C parser's body, padded to the header's width."""
    cols = _column_names(header)
    out = {c: (body[i].astype(str) if i in body.columns else pd.Series([""] * len(body), dtype=str))
           for i, c in enumerate(cols)}
    return pd.DataFrame(out, dtype=str)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Map recognised headers to canonical columns: ``{"Откуда прибыл": "origin", ...}``.

    A canonical column is taken by the first header that names it; unknown headers
    are left out (they are kept in the output under their own name).
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        col = _ALIAS_TO_COLUMN.get(fold(re.sub(r"\s+\(\d+\)$", "", h)).strip())
        if col and col not in taken:
            out[h] = col
            taken.add(col)
    return out


#: Keys of a mapping file that are settings, not headers: ``"@focus": "europe-ussr"`` (the gazetteer's
#: region prior, see :func:`geo.gazetteer.parse_focus`).
MAPPING_SETTINGS = ("@focus",)


def parse_mapping(text: str, source: str = "mapping") -> dict[str, str]:
    """A column mapping from JSON text ``{"header as in the file": "canonical column"}``, checked.

    Keys starting with ``@`` are settings (see :data:`MAPPING_SETTINGS` and
    :func:`mapping_settings`), not headers, and are left out of the mapping.
    """
    try:
        m = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"{source}: not JSON ({exc})") from None
    if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in m.items()):
        raise TableError(f"{source} must be a JSON object of header -> column")
    unknown = [k for k in m if k.startswith("@") and k not in MAPPING_SETTINGS]
    if unknown:
        raise TableError(f"{source} has unknown settings {unknown}; known: {', '.join(MAPPING_SETTINGS)}")
    m = {k: v for k, v in m.items() if not k.startswith("@")}
    bad = sorted(set(m.values()) - set(CANONICAL))
    if bad:
        raise TableError(f"{source} names unknown columns {bad}; known: {', '.join(CANONICAL)}")
    return m


def mapping_settings(text: str) -> dict[str, str]:
    """The settings of a mapping file (``{"@focus": "ussr"}``); {} when it has none or is not JSON."""
    try:
        m = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return {k: str(v) for k, v in m.items() if k in MAPPING_SETTINGS} if isinstance(m, dict) else {}


def load_mapping(path: Path) -> dict[str, str]:
    """A saved column mapping file (see :func:`parse_mapping`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"mapping file {path}: {exc}") from None
    return parse_mapping(text, f"mapping file {path}")


def to_canonical(frame: pd.DataFrame, mapping: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename mapped headers to canonical columns; keep the rest under their own names.

    Returns the frame (all canonical columns present, empty where absent) and the
    mapping used. Raises :class:`TableError` when a required column is missing.
    """
    used = dict(guess_mapping(list(frame.columns)))
    if mapping:
        missing = [h for h in mapping if h not in frame.columns]
        if missing:
            raise TableError(f"the mapping names headers not in the file: {missing}")
        used = {h: c for h, c in used.items() if c not in set(mapping.values())}
        used.update(mapping)
    out = frame.rename(columns=used)
    if out.columns.duplicated().any():
        dup = sorted(set(out.columns[out.columns.duplicated()]))
        raise TableError(f"two headers map to the same column: {dup}")
    missing = [c for c in REQUIRED if c not in out.columns]
    if missing:
        raise TableError(f"no column for {', '.join(missing)}; found headers: {', '.join(map(str, frame.columns))}")
    for c in CANONICAL:
        if c not in out.columns:
            out[c] = ""
    extras = [c for c in out.columns if c not in CANONICAL]
    return out[list(CANONICAL) + extras].fillna(""), used
