"""Sheets of a bulk job: the columns a template takes, reading CSV, XLSX, pasted and JSON rows, and
checking every cell of every row at once (before anything is stored or rendered).

A cell's error is kept as a code and parameters and turned into a sentence when someone reads it
(`error_text`), so the preview speaks the reader's language, whichever language the sheet was
checked in.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import DomainError
from videos.models import Template
from videos.render.spec import COLOUR_RE, MAX_TEXT_LENGTH

TITLE_MAX_LENGTH = 200
# Far beyond any plan's rows per job: a sheet past this is refused before its rows are read.
MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_CELL_CHARACTERS = 5_000
# An XLSX is a ZIP of XML: what it unpacks to is checked before openpyxl reads it (a few MB of
# compressed XML can unpack to gigabytes, and openpyxl holds the shared strings in memory).
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024

ERRORS: dict[str, Promise] = {
    "required": gettext_lazy("This cell is required."),
    "too_long": gettext_lazy("At most %(max)d characters; this has %(length)d."),
    "colour": gettext_lazy("“%(value)s” is not a colour; write it like #1e1b4b."),
    "number": gettext_lazy("“%(value)s” is not a number of seconds."),
    "duration_range": gettext_lazy("The duration must be between %(min)d and %(max)d seconds."),
    "type": gettext_lazy("This cell must be %(expected)s, not %(actual)s."),
    "unknown_media": gettext_lazy(
        "No file uploaded with the sheet and none of your stored media is called “%(value)s”."
    ),
    "media_kind_image": gettext_lazy("This slot needs an image."),
    "media_kind_clip": gettext_lazy("This slot needs a video clip."),
    "unknown_branding": gettext_lazy("You have no branding profile called “%(value)s”."),
    "branding_plan": gettext_lazy("Your plan does not include logo branding."),
    "unknown_team": gettext_lazy("You cannot make videos in a team called “%(value)s”."),
}
TYPE_NAMES: dict[str, Promise] = {
    "text": gettext_lazy("text"),
    "number": gettext_lazy("a number"),
    "list": gettext_lazy("a list"),
    "object": gettext_lazy("an object"),
    "boolean": gettext_lazy("true or false"),
    "date": gettext_lazy("a date"),
}


def error_text(error: dict[str, Any]) -> str:
    """One cell error as a sentence in the active language."""
    template = ERRORS.get(error.get("code", ""))
    if template is None:
        return str(error.get("code", ""))
    params = dict(error.get("params") or {})
    for key in ("expected", "actual"):
        if key in params:
            params[key] = str(TYPE_NAMES.get(params[key], params[key]))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


# --- Columns --------------------------------------------------------------------------------------


def columns_for(template: Template) -> list[str]:
    """The columns a template's sheet takes, in order."""
    spec = template.scene_spec or {}
    scenes = range(1, len(spec.get("scenes", [])) + 1)
    return [
        "title",
        *(f"text_{n}" for n in scenes),
        *(f"background_{n}" for n in scenes),
        "text_color",
        "duration",
        *(f"media_{slot['key']}" for slot in spec.get("slots", [])),
        "branding",
        "team",
    ]


def example_row(template: Template) -> dict[str, str]:
    """A first row filled with the template's own texts and colours, to show what goes where."""
    spec = template.scene_spec or {}
    row = {"title": template.title, "duration": str(template.duration_seconds)}
    for n, scene in enumerate(spec.get("scenes", []), start=1):
        row[f"text_{n}"] = scene.get("text", "")
        row[f"background_{n}"] = scene.get("background", "")
    first = (spec.get("scenes") or [{}])[0]
    row["text_color"] = first.get("text_color", "#ffffff")
    return row


def column_template_csv(template: Template) -> str:
    """The sheet to fill in, as CSV: the header and one example row."""
    columns = columns_for(template)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(example_row(template))
    return out.getvalue()


def column_template_xlsx(template: Template) -> bytes:
    """The sheet to fill in, as XLSX: the header and one example row, every cell text."""
    from openpyxl import Workbook

    columns = columns_for(template)
    example = example_row(template)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="videos")
    sheet.append(columns)
    sheet.append([example.get(column, "") for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading --------------------------------------------------------------------------------------


def _header(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _rows_from_table(lines: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    iterator: Iterator[Iterable[Any]] = iter(lines)
    try:
        header = [_header(name) for name in next(iterator)]
    except StopIteration:
        raise DomainError(_("The sheet is empty."), code="empty_sheet", field="sheet") from None
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise DomainError(
            _("The sheet has %(count)d columns; at most %(max)d are read.")
            % {"count": len(header), "max": MAX_COLUMNS},
            code="too_many_columns",
            field="sheet",
        )
    if "title" not in header:
        raise DomainError(
            _("The sheet's first line must name the columns, and one of them must be “title”."),
            code="no_header",
            field="sheet",
        )
    rows: list[dict[str, Any]] = []
    for line in iterator:
        if len(rows) >= MAX_ROWS:
            raise DomainError(
                _("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}, code="too_many_rows", field="sheet"
            )
        values = list(line)[: len(header)]
        rows.append({name: value for name, value in zip(header, values, strict=False) if name})
    return rows


def read_csv_text(text: str) -> list[dict[str, Any]]:
    """Rows of a CSV (or tab-separated, as pasted from a spreadsheet) text, keyed by the header's columns."""
    text = text.lstrip("\ufeff")
    sample = text[:4096]
    first_line = sample.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return _rows_from_table(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_csv(handle: IO[bytes]) -> list[dict[str, Any]]:
    raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _("The CSV file must be saved as UTF-8 (Excel: “CSV UTF-8”)."), code="encoding", field="sheet"
        ) from None
    return read_csv_text(text)


def read_xlsx(handle: IO[bytes]) -> list[dict[str, Any]]:
    """Rows of the first sheet of an XLSX workbook (read-only, streamed; formulas as their last value)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise DomainError(_("This file is not an XLSX workbook."), code="not_xlsx", field="sheet") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise DomainError(
            _("This workbook unpacks to more than %(mb)d MB; save the sheet as CSV instead.")
            % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)},
            code="xlsx_too_large",
            field="sheet",
        )
    handle.seek(0)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError(_("This file is not an XLSX workbook."), code="not_xlsx", field="sheet") from None
    try:
        sheet = workbook.worksheets[0]
        return _rows_from_table(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1))
    finally:
        workbook.close()


def read_sheet(*, name: str, handle: IO[bytes]) -> list[dict[str, Any]]:
    """Rows of an uploaded sheet, by its content: an XLSX (a ZIP) or else CSV text."""
    head = handle.read(4)
    handle.seek(0)
    if head == b"PK\x03\x04":
        return read_xlsx(handle)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise DomainError(_("This file is not an XLSX workbook."), code="not_xlsx", field="sheet")
    return read_csv(handle)


def rows_from_json(data: Any) -> list[dict[str, Any]]:
    """Rows given as a JSON array of objects (the API)."""
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise DomainError(_("Rows must be a list of objects."), code="invalid_rows", field="rows")
    if len(data) > MAX_ROWS:
        raise DomainError(_("At most %(max)d rows at once.") % {"max": MAX_ROWS}, code="too_many_rows", field="rows")
    return [{_header(key): value for key, value in row.items()} for row in data]


# --- Checking -------------------------------------------------------------------------------------


@dataclass
class Context:
    """What a row may refer to, looked up once for the whole sheet."""

    template: Template
    uploaded_media: dict[str, dict[str, Any]]  # the sheet's files by name -> {"name", "kind", "size"}
    stored_media: dict[str, dict[str, Any]]  # "media:<id>" and the stored file's name -> the same
    branding: dict[str, int]  # a profile's name (lower case) or "<id>" -> its id
    branding_allowed: bool
    teams: dict[str, int]  # a team's slug or name (lower case) -> its id, where the user may create
    columns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.columns = columns_for(self.template)
        spec = self.template.scene_spec or {}
        self.scene_count = len(spec.get("scenes", []))
        self.slots = {slot["key"]: slot.get("kind", "any") for slot in spec.get("slots", [])}


@dataclass
class CheckedRow:
    number: int
    cells: dict[str, str]
    clean: dict[str, Any]
    errors: list[dict[str, Any]]


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, datetime | date | time):
        return "date"
    return "text"


def _shown(value: Any) -> str:
    """A cell as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:MAX_CELL_CHARACTERS]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_row(number: int, raw: dict[str, Any], context: Context) -> CheckedRow:
    """Every problem of one row, each on its cell; the row's values ready for the video service."""
    errors: list[dict[str, Any]] = []

    def error(column: str, code: str, **params: Any) -> None:
        errors.append({"column": column, "code": code, "params": params})

    def text(column: str, *, max_length: int, required: bool = False) -> str:
        value = raw.get(column)
        if _blank(value):
            if required:
                error(column, "required")
            return ""
        kind = _kind_of(value)
        # A number in a text cell is fine (a spreadsheet's "2026"); a list or a date is not.
        if kind not in ("text", "number"):
            error(column, "type", expected="text", actual=kind)
            return ""
        value = _shown(value).strip()
        if len(value) > max_length:
            error(column, "too_long", max=max_length, length=len(value))
        return value

    def colour(column: str) -> str:
        value = raw.get(column)
        if _blank(value):
            return ""
        if _kind_of(value) != "text":
            error(column, "type", expected="text", actual=_kind_of(value))
            return ""
        value = value.strip()
        if not COLOUR_RE.fullmatch(value):
            error(column, "colour", value=value[:50])
        return value

    template = context.template
    title = text("title", max_length=TITLE_MAX_LENGTH, required=True)
    texts = [text(f"text_{n}", max_length=MAX_TEXT_LENGTH) for n in range(1, context.scene_count + 1)]
    backgrounds = [colour(f"background_{n}") for n in range(1, context.scene_count + 1)]
    text_color = colour("text_color")
    duration: float | None = None
    value = raw.get("duration")
    if not _blank(value):
        kind = _kind_of(value)
        if kind not in ("number", "text"):
            error("duration", "type", expected="number", actual=kind)
        else:
            try:
                duration = float(str(value).strip().replace(",", "."))
            except ValueError:
                error("duration", "number", value=_shown(value)[:50])
            else:
                if not template.min_duration_seconds <= duration <= template.max_duration_seconds:
                    error(
                        "duration",
                        "duration_range",
                        min=template.min_duration_seconds,
                        max=template.max_duration_seconds,
                    )
    media: dict[str, dict[str, Any]] = {}
    for key, wanted in context.slots.items():
        column = f"media_{key}"
        name = text(column, max_length=300)
        if not name:
            continue
        found = context.uploaded_media.get(name) or context.stored_media.get(name)
        if found is None:
            error(column, "unknown_media", value=name[:100])
        elif wanted != "any" and found["kind"] != wanted:
            error(column, f"media_kind_{wanted}")
        else:
            media[key] = found
    branding_id: int | None = None
    name = text("branding", max_length=100)
    if name:
        branding_id = context.branding.get(name.lower())
        if branding_id is None:
            error("branding", "unknown_branding", value=name)
        elif not context.branding_allowed:
            error("branding", "branding_plan")
    team_id: int | None = None
    name = text("team", max_length=100)
    if name:
        team_id = context.teams.get(name.lower())
        if team_id is None:
            error("team", "unknown_team", value=name)
    clean = {
        "title": title,
        "customization": {
            "texts": texts,
            "backgrounds": backgrounds,
            "text_color": text_color,
            **({"duration": duration} if duration is not None else {}),
        },
        "media": media,
        "branding": branding_id,
        "team": team_id,
    }
    cells = {column: _shown(raw.get(column)) for column in context.columns if not _blank(raw.get(column))}
    return CheckedRow(number=number, cells=cells, clean=clean, errors=errors)


def check_rows(rows: list[dict[str, Any]], context: Context) -> list[CheckedRow]:
    """Every row checked; blank rows are left out (their numbers too, so the others keep theirs)."""
    return [
        check_row(number, raw, context)
        for number, raw in enumerate(rows, start=1)
        if any(not _blank(value) for value in raw.values())
    ]


def unknown_columns(rows: list[dict[str, Any]], template: Template) -> list[str]:
    """Columns of the sheet the template does not take (they are ignored; the preview says so)."""
    known = set(columns_for(template))
    seen: dict[str, None] = {}
    for row in rows[:1]:
        for name in row:
            if name not in known:
                seen[name] = None
    return list(seen)[:20]
