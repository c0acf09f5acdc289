"""Finding complaints: the one search rule, read by the header's search page, the queue's
search box and GET /api/complaints/?search=.

A search looks at every complaint the user may read (complaints.access), open and closed:
the reference (whole or part, any case), the customer's name, phone and email, and what
the customer said (the content). A query needs two characters, or one Chinese (or other
wide) character, so "芳" finds 王芳 while "a" alone is refused rather than answering
everything; one or two characters are looked for in customers' names only.

On PostgreSQL trigram indexes (migration 0022) serve patterns of three characters or
more; shorter ones (a two-character name) read the customers table, which is small
next to the complaints.
"""

import re
import unicodedata

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from customers.selectors import phone_q

from .. import access
from ..models import Complaint, Stage

MAX_QUERY = 200
# Patterns shorter than a trigram are looked for in customers' names only.
TRIGRAM = 3
# The body of a whole reference: what complaints.models.new_reference() writes after the
# prefix, or the ten characters of the references the bench loads (CLR-B000000001).
WHOLE_REFERENCE_BODY = r"-(?:[0-9A-Z]{4}-[0-9A-Z]{4}|[0-9A-Z]{10})"


def _is_whole_reference(text: str) -> bool:
    prefix = re.escape(str(settings.CLEAR_DESK["REFERENCE_PREFIX"]).upper())
    return re.fullmatch(prefix + WHOLE_REFERENCE_BODY, text) is not None


TOO_SHORT = _("Type at least two letters or digits, or one Chinese character, to search.")
MIN_CHARACTERS = 2
# A typed phone: digits with the usual separators (and a leading +).
PHONE_CHARACTERS = frozenset("0123456789+-() ./")


def clean_query(raw: str | None) -> str:
    """The query as it is compared: width-folded (full-width letters and digits typed with a
    Chinese input method count as ordinary ones), control characters dropped, spaces joined."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_long_enough(query: str) -> bool:
    """Two characters, or one wide (Chinese, Japanese, Korean) character."""
    query = clean_query(query)
    return len(query) >= MIN_CHARACTERS or any(_wide(ch) for ch in query)


def _looks_like_phone(query: str) -> bool:
    return bool(query) and set(query) <= PHONE_CHARACTERS and sum(ch.isdigit() for ch in query) >= 3


def _phone_q(query: str) -> Q | None:
    """Customers whose stored phone is the typed one, in whatever format either was written
    (customers.selectors.phone_q); None when the query does not look like a phone."""
    return phone_q(query) if _looks_like_phone(query) else None


class _EqualsAny(Func):
    """column = ANY(ARRAY(subquery)): one array computed first, which lets PostgreSQL combine
    the customer's index with the complaint's own trigram indexes (an IN (subquery) inside an
    OR would be checked row by row)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def complaint_match(query: str) -> Q | None:
    """The condition a complaint meets when it matches `query`; None when the query is too
    short to search (the caller says so rather than listing everything)."""
    query = clean_query(query)
    if not is_long_enough(query):
        return None
    customers = Q(name__icontains=query) | Q(email__icontains=query)
    phone = _phone_q(query)
    if phone is not None:
        customers |= phone
    matching_customers = Customer.objects.filter(customers).order_by().values("pk")
    if connection.vendor == "postgresql":
        by_customer = Q(_EqualsAny(F("customer_id"), ArraySubquery(matching_customers)))
    else:
        by_customer = Q(customer_id__in=matching_customers)
    if len(query) < TRIGRAM:
        # One or two characters (王芳, "Li"): a name, not a word of a complaint; the customers
        # table is read through (no trigram index serves such a pattern), the complaints
        # through their customer.
        return by_customer
    if _is_whole_reference(query.upper()):
        # A whole reference: the unique index answers at once (its trigrams are shared by
        # every reference).
        return Q(reference=query.upper()) | Q(content__icontains=query) | by_customer
    return Q(reference__icontains=query) | Q(content__icontains=query) | by_customer


# Open complaints first, then the most recent (the index complaint_search_order follows it).
SEARCH_ORDER = (
    ExpressionWrapper(Q(stage=Stage.CLOSED), output_field=BooleanField()).asc(),
    F("created_at").desc(),
    F("id").desc(),
)

RESULT_FIELDS = ("reference", "stage", "created_at", "closed_at", "customer__name")


def complaint_search(
    *,
    user: AbstractBaseUser | AnonymousUser,
    query: str,
    queryset: QuerySet[Complaint] | None = None,
    ordered: bool = True,
) -> QuerySet[Complaint]:
    """The complaints `user` may read that match `query`, open ones first, then the most recent.

    Empty when the user may not read complaints or the query is too short (check
    is_long_enough() first to tell the person why). `queryset` narrows or shapes the rows
    (the API passes its list with everything a row shows); by default a result row has the
    reference, customer, stage and dates. ordered=False keeps the queryset's own order (the
    API's ?ordering=).
    """
    if queryset is None:
        queryset = Complaint.objects.select_related("customer").only(*RESULT_FIELDS)
    match = complaint_match(query)
    if match is None or not access.has_any_role(user):
        return queryset.none()
    found = queryset.filter(match)
    return found.order_by(*SEARCH_ORDER) if ordered else found
