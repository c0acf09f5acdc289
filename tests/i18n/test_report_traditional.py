"""The weekly report and its CSV give stored labels in Traditional characters to a zh-hant reader."""

import csv
import io
from datetime import timedelta

import pytest

from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db

URL = f"/reports/weekly/?week={WEEK}"


@pytest.fixture
def history(staff_user):
    for i, cause in enumerate(["supplier", "defect"]):
        handle(
            by=staff_user,
            received=local(2026, 11, 16, 9 + i),
            respond_after=timedelta(minutes=10),
            close_after=timedelta(hours=3),
            cause=cause,
            score=4,
        )


def test_report_page_and_csv_in_traditional(history, client, manager_user):
    client.force_login(manager_user)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert '<html lang="zh-hant">' in page
    assert "供應商或合作方" in page and "產品缺陷" in page  # root causes, stored in Simplified
    assert "供应商或合作方" not in page
    assert "根本原因報告" in page
    answer = client.get(URL + "&format=csv&table=root_causes", HTTP_ACCEPT_LANGUAGE="zh-TW")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["代碼", "根本原因"]
    assert {row[1] for row in rows[1:]} >= {"供應商或合作方", "產品缺陷"}
