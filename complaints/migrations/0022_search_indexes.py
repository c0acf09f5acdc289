"""Search indexes (PostgreSQL): trigrams on what complaints.workflow.search compares, and the
order its results come in.

Django compares `icontains` as UPPER(column::text) LIKE UPPER(pattern), so the trigram
indexes are built on that expression. A trigram index serves patterns of three characters
or more; shorter ones (a two-character Chinese name) read the customers table. The
customers' indexes live here because the search is the complaints app's. SQLite has no
trigrams: the same queries run there without them.

complaint_search_order follows the results' order (open first, then the most recent): a
common word (one complaint in seven at a million) is answered by walking it until a page is
full (13 ms) instead of sorting every match (0.8 s). For rare queries the planner reads the
trigram indexes and sorts the few matches; under a very small LIMIT at 50,000 complaints it
was seen walking the order index instead (80 ms), which it did not do at a million.
"""

from django.db import migrations

from ._postgresql import run_on_postgresql

INDEXES = {
    "complaint_search_reference": ("complaints_complaint USING gin ((UPPER(reference::text)) gin_trgm_ops)"),
    "complaint_search_content": "complaints_complaint USING gin ((UPPER(content::text)) gin_trgm_ops)",
    # Open ones first, then the most recent: the search's order (workflow.search.SEARCH_ORDER).
    "complaint_search_order": "complaints_complaint ((stage = 'closed'), created_at DESC, id DESC)",
    "customer_search_name": "customers_customer USING gin ((UPPER(name::text)) gin_trgm_ops)",
    "customer_search_email": "customers_customer USING gin ((UPPER(email::text)) gin_trgm_ops)",
    "customer_search_phone": "customers_customer USING gin ((phone_normalized::text) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_sla_policy_tier_choices"),
        ("customers", "0003_customer_erased_at"),
    ]

    operations = [
        # Kept on the way back: other databases' objects may use the extension too.
        run_on_postgresql("CREATE EXTENSION IF NOT EXISTS pg_trgm", "SELECT 1"),
        *(
            run_on_postgresql(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON {definition}', f'DROP INDEX IF EXISTS "{name}"'
            )
            for name, definition in INDEXES.items()
        ),
    ]
