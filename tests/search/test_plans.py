"""The search's indexes (migration 0022) fit the SQL Django writes for it (PostgreSQL)."""

import pytest
from django.db import connection

from complaints.workflow import search

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")


def plan(user, query):
    with connection.cursor() as cursor:
        # A handful of rows would be read straight through; ask whether the indexes can serve.
        # (Walking the order index with a filter is the planner's choice for common words.)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        return search.complaint_search(user=user, query=query)[:51].explain()


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("kettle lid", {"complaint_search_content", "complaint_search_reference", "customer_search_name"}),
        ("fang.wang@example", {"customer_search_email"}),
        ("139 0101 2323", {"customer_search_phone"}),
    ],
)
def test_the_trigram_indexes_serve_the_search(staff_user, found, query, indexes):
    text = plan(staff_user, query)
    assert all(name in text for name in indexes), text
    assert "Seq Scan on complaints_complaint" not in text, text


def test_a_whole_reference_is_looked_up_in_the_unique_index(staff_user, found):
    text = plan(staff_user, found["closed"].reference)
    assert "complaints_complaint_reference_key" in text and "complaint_search_reference" not in text, text
