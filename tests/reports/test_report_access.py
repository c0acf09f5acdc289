"""Issue 16, point 9: managers read reports and publish or rebuild the weekly report, but change
no complaint; access.py, the pages, the API, the README and the permission matrix say the same."""

from pathlib import Path

import pytest

from complaints import access
from tests.test_permission_matrix import MANAGER, TABLE

pytestmark = pytest.mark.django_db


def test_the_rules(staff_user, supervisor_user, manager_user):
    assert [access.can_publish_reports(u) for u in (staff_user, supervisor_user, manager_user)] == [
        False,
        True,
        True,
    ]
    assert access.can_work_complaints(manager_user) is False
    assert access.is_supervisor(manager_user) is False


def test_the_matrix_lets_managers_publish_and_nothing_else_that_writes_a_complaint():
    publishing = {("post", "/reports/weekly/rebuild/"), ("post", "/api/reports/weekly/rebuild/")}
    for row in TABLE:
        expected = dict(row.expect).get(MANAGER)
        if (row.method, row.path) in publishing and row.relation == "ended week":
            assert expected in (200, "302 with success"), row
        if row.method != "get" and row.path.startswith(("/api/complaints/", "/complaints/")):
            assert expected in (403, 404, None), row  # 404: a missing complaint


def test_the_readme_says_so():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "reads everything, changes nothing" not in readme
    assert "Supervisors and managers\n  publish and rebuild" in readme
    assert "manager (reads everything and publishes the weekly report; changes no complaint)" in readme
