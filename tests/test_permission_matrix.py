"""Who may do what, in one table: (principal x endpoint x method x relation) -> HTTP status.

Issue 8, item 2. TABLE below lists every URL under /api/ and every page with the methods
it accepts; each row names the relation of the request to the object it touches (an
existing object, one in a state that conflicts, a missing one, a customer's own token,
someone else's, an unknown one) and the status each principal must get. Every cell runs
as its own test case against a fresh, lazily built "world" (only the objects the cell's
URL and body mention are made). test_every_url_is_in_the_table walks the URL resolver so
a new URL cannot slip in without a row (and prints the number of cells; so does
`pytest --collect-only -q tests/test_permission_matrix.py`). Every refusal (401, 403, 404,
the login redirect) is also checked not to name any complaint.

Principals: anonymous; a no-role user (active, in no group); an inactive user who was
staff; staff; supervisor; manager. The API is called the way clients call it
(`Authorization: Token <key>`, JSON bodies); pages use a session (force_login) and form
posts. The customer's side (/track/, /survey/) is told apart by the token's relation.

Expected values: an int is the status (302 also means "not to the login page"); LOGIN is a
302 to the login page; OK / ERR are a 302 back to a page carrying a success / an error
message (the escalation queue and the report pages report conflicts that way, after
Post/Redirect/Get, instead of answering 409).
"""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import constants as levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints.escalations import compensation
from complaints.escalations import services as escalation_services
from complaints.models import (
    Complaint,
    PreventiveAction,
    SystemicIssue,
    SystemicSuggestion,
    SystemicSuggestionComplaint,
)
from complaints.reports import weeks
from complaints.systemic import services as systemic_services
from complaints.workflow import attachments, callbacks, holds, transitions
from customers import public
from tests.factories import CustomerFactory, UserFactory, make_complaint

ANON, NOROLE, INACTIVE = "anonymous", "no-role", "inactive"
STAFF, SUPERVISOR, MANAGER = "staff", "supervisor", "manager"
PRINCIPALS = (ANON, NOROLE, INACTIVE, STAFF, SUPERVISOR, MANAGER)

LOGIN = "302 to login"
OK = "302 with success"
ERR = "302 with error"
CREDENTIALS = "the principal's own username and password"
ROLES_ONLY = {"a": None, "n": None, "i": None}  # rows that only make sense for desk roles

PASSWORD = "pw"  # tests.factories.UserFactory


@dataclass(frozen=True)
class Row:
    kind: str  # "api" (token auth, JSON), "page" (session, form post), "token" (POST /api/token/)
    method: str
    path: str  # "{name}" is filled from the world
    relation: str
    expect: tuple  # ((principal, expected), ...)
    body: object = None


def _expect(a, n, i, s, v, m):
    pairs = zip(PRINCIPALS, (a, n, i, s, v, m), strict=True)
    return tuple((p, e) for p, e in pairs if e is not None)


def api(method, path, relation="existing", body=None, *, s, v, m, n=403, a=401, i=401):
    """An API row: no credentials or an inactive user's token 401, no role 403 by default."""
    return Row("api", method, path, relation, _expect(a, n, i, s, v, m), body)


def page(method, path, relation="existing", body=None, *, s, v, m, n=403, a=LOGIN, i=LOGIN):
    """A page row: anonymous and inactive go to the login page, no role 403 by default."""
    return Row("page", method, path, relation, _expect(a, n, i, s, v, m), body)


def public_page(method, path, relation, expected, body=None):
    """A public page: the same answer whoever is signed in."""
    return Row("page", method, path, relation, _expect(*[expected] * 6), body)


ALL_200 = {"s": 200, "v": 200, "m": 200}
WORKERS_ONLY = {"s": 200, "v": 200, "m": 403}  # staff and supervisors act, managers read

ESTABLISH = {"what_happened": "Broken on arrival", "when_happened": "Monday", "desired_outcome": "A new one"}
APOLOGIZE = {"restatement": "It arrived broken on Monday.", "customer_confirmed": True}
RESOLVE = {"apology": "I am sorry this caused you trouble."}
CLOSE = {
    "resolution": "full",
    # The final response's blocks (reasons; an upheld complaint's remedy and its date).
    "decision_reasons": "The parcel was packed too loosely.",
    "customer_message": "A new one is on its way to you.",
    "remedy_due": timezone.localdate().isoformat(),
    "remedy": "We sent a replacement by courier.",
    "preventive_action": "Fragile goods ship in double boxes.",
    "root_cause": "process_gap",
    "responsible_department": "logistics",
}
REOPEN = {"reason": "The replacement is broken too."}
STEPS = [
    ("listen", {}),
    ("establish", ESTABLISH),
    ("apologize", APOLOGIZE),
    ("resolve", RESOLVE),
    ("close", CLOSE),
]
NEW_COMPLAINT = {
    "customer": "{customer}",
    "channel": "phone",
    "category": "product_quality",
    "severity": "minor",
    "content": "The kettle stopped working.",
}
SUBMIT = {
    "name": "Wei Chen",
    "phone": "+86 139 0000 1234",
    "email": "wei@example.com",
    "what_happened": "The parcel came broken.",
    "desired_outcome": "A replacement.",
}


class Multipart(dict):
    """A body sent as multipart/form-data; each bytes value is sent as a file of that name."""


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def form(action, data=None):
    """A post of one of the complaint page's forms (fields carry the action as prefix)."""
    fields = {f"{action}-{k}": ("on" if v is True else v) for k, v in (data or {}).items()}
    return {"action": action, **fields}


def transition_rows():
    """Each CLEAR transition through the API and the page: from its stage, and from a wrong one."""
    rows = []
    moves = [
        ("listen", "control", "closed", {}),
        ("establish", "listen", "control", ESTABLISH),
        ("apologize", "establish", "control", APOLOGIZE),
        ("resolve", "apologize", "control", RESOLVE),
        ("close", "resolve", "control", CLOSE),
        ("reopen", "closed", "control", REOPEN),
    ]
    for name, good, wrong, data in moves:
        url = f"/api/complaints/{{{good}}}/transitions/{name}/"
        rows.append(api("post", url, f"complaint in {good}", data, **WORKERS_ONLY))
        url = f"/api/complaints/{{{wrong}}}/transitions/{name}/"
        rows.append(api("post", url, f"complaint in {wrong} (409)", data, s=409, v=409, m=403, **ROLES_ONLY))
        page_data = form(name, data)
        rows.append(
            page("post", f"/complaints/{{{good}}}/", f"{name}, in {good}", page_data, s=OK, v=OK, m=403)
        )
        rows.append(
            page(
                "post",
                f"/complaints/{{{wrong}}}/",
                f"{name}, in {wrong} (409)",
                page_data,
                s=409,
                v=409,
                m=403,
                **ROLES_ONLY,
            )
        )
    return rows


TABLE = [
    # --- API: sign-in, lists, coach, schema -------------------------------------------
    Row(
        "token", "post", "/api/token/", "own credentials", _expect(400, 200, 400, 200, 200, 200), CREDENTIALS
    ),
    api("get", "/api/options/", **ALL_200),
    api("post", "/api/coach/check/", body={"text": "Calm down, that is our policy."}, **ALL_200),
    api("get", "/api/schema/", **ALL_200),
    api("get", "/api/docs/", **ALL_200),
    # --- API: customers ---------------------------------------------------------------
    api("get", "/api/customers/", **ALL_200),
    api(
        "post",
        "/api/customers/",
        "new customer",
        {"name": "Wei Chen", "phone": "+86 139 0000 4321", "email": "wei@example.com"},
        s=201,
        v=201,
        m=403,
    ),
    api("get", "/api/customers/{customer}/", **ALL_200),
    api("get", "/api/customers/{missing}/", "missing", s=404, v=404, m=404),
    api(
        "put",
        "/api/customers/{customer}/",
        body={"name": "Wei Chen", "phone": "+86 139 0000 5555", "email": "chen@example.com"},
        **WORKERS_ONLY,
    ),
    api("patch", "/api/customers/{customer}/", body={"name": "Chen Wei"}, **WORKERS_ONLY),
    api("patch", "/api/customers/{missing}/", "missing", {"name": "X"}, s=404, v=404, m=403),
    api("post", "/api/customers/{customer}/merge/", body={"duplicate": "{duplicate}"}, s=403, v=200, m=403),
    api(
        "post",
        "/api/customers/{missing}/merge/",
        "missing",
        {"duplicate": "{duplicate}"},
        s=403,
        v=404,
        m=403,
    ),
    api(
        "post",
        "/api/customers/{customer}/vulnerability/",
        body={"kind": "age", "permanent": True},
        **WORKERS_ONLY,
    ),
    api("delete", "/api/customers/{customer}/vulnerability/", "no flag (409)", s=409, v=409, m=403),
    api(
        "post",
        "/api/customers/{missing}/vulnerability/",
        "missing",
        {"kind": "age", "permanent": True},
        s=404,
        v=404,
        m=403,
    ),
    # --- API: complaints --------------------------------------------------------------
    api("get", "/api/complaints/", **ALL_200),
    api("get", "/api/complaints/{control}/redress/", **ALL_200),
    api(
        "post",
        "/api/complaints/{control}/redress/",
        "offer",
        {"step": "offer", "amount": "10.00", "description": "A voucher"},
        **WORKERS_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/redress/",
        "nothing offered (409)",
        {"step": "accept"},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("get", "/api/complaints/{missing}/redress/", "missing", s=404, v=404, m=404),
    api("post", "/api/complaints/", "new complaint", NEW_COMPLAINT, s=201, v=201, m=403),
    api("get", "/api/complaints/{control}/", **ALL_200),
    api("get", "/api/complaints/{missing}/", "missing", s=404, v=404, m=404),
    api("get", "/api/complaints/{control}/records/", **ALL_200),
    api("get", "/api/complaints/{missing}/records/", "missing", s=404, v=404, m=404),
    api("get", "/api/complaints/{control}/similar/", **ALL_200),
    api("get", "/api/complaints/{missing}/similar/", "missing", s=404, v=404, m=404),
    api(
        "post",
        "/api/complaints/{closed}/contacts/",
        "closed",
        {"channel": "phone", "content": "Calling again."},
        **WORKERS_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{missing}/contacts/",
        "missing",
        {"channel": "phone", "content": "Calling again."},
        s=404,
        v=404,
        m=403,
    ),
    *[row for row in transition_rows() if row.kind == "api"],
    api("post", "/api/complaints/{missing}/transitions/listen/", "missing", {}, s=404, v=404, m=403),
    api("post", "/api/complaints/{control}/escalate/", "not escalated", {"reason": "Angry"}, **WORKERS_ONLY),
    api(
        "post",
        "/api/complaints/{escalated}/escalate/",
        "already escalated (409)",
        {"reason": "Angry"},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("post", "/api/complaints/{escalated}/escalation/acknowledge/", "escalated", {}, s=403, v=200, m=403),
    api(
        "post",
        "/api/complaints/{control}/escalation/acknowledge/",
        "not escalated (409)",
        {},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{escalated}/escalation/deescalate/",
        "escalated",
        {"reason": "Settled by phone."},
        s=403,
        v=200,
        m=403,
    ),
    api(
        "post",
        "/api/complaints/{control}/escalation/deescalate/",
        "not escalated (409)",
        {"reason": "Settled by phone."},
        v=409,
        s=403,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/reassign/",
        "open",
        {"assignee": "{worker}", "note": ""},
        s=403,
        v=200,
        m=403,
    ),
    api(
        "post",
        "/api/complaints/{closed}/reassign/",
        "closed (409)",
        {"assignee": "{worker}", "note": ""},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("post", "/api/complaints/{control}/notes/", body={"text": "Call after 5pm."}, **WORKERS_ONLY),
    api("post", "/api/complaints/{control}/regime/", body={"regime": "{regime}"}, s=403, v=200, m=403),
    api("post", "/api/complaints/{missing}/regime/", "missing", {"regime": None}, s=403, v=404, m=403),
    api(
        "post",
        "/api/complaints/{closed}/regime/",
        "closed (409)",
        {"regime": "{regime}"},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/severity/",
        "minor",
        {"severity": "major", "reason": "Someone got hurt."},
        **WORKERS_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/severity/",
        "same severity (409)",
        {"severity": "minor", "reason": "No change."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{closed}/satisfaction/",
        "closed",
        {"score": 5, "comment": ""},
        **WORKERS_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/satisfaction/",
        "open (409)",
        {"score": 5, "comment": ""},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{control}/hold/",
        "open",
        {"kind": "customer", "reason": "Waiting for the receipt."},
        **WORKERS_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{held}/hold/",
        "already on hold (409)",
        {"kind": "customer", "reason": "Again."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{closed}/hold/",
        "closed (409)",
        {"kind": "customer", "reason": "Too late."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("post", "/api/complaints/{held}/resume/", "on hold", {}, **WORKERS_ONLY),
    api(
        "post",
        "/api/complaints/{control}/resume/",
        "not on hold (409)",
        {},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("get", "/api/complaints/{control}/callbacks/", **ALL_200),
    api(
        "post",
        "/api/complaints/{control}/callbacks/",
        "open",
        {"due_at": "{future}", "note": "Will call back."},
        s=201,
        v=201,
        m=403,
    ),
    api(
        "post",
        "/api/complaints/{closed}/callbacks/",
        "closed (409)",
        {"due_at": "{future}", "note": "Will call back."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api("post", "/api/complaints/{control}/callbacks/{promise}/fulfil/", "open promise", {}, **WORKERS_ONLY),
    api(
        "post",
        "/api/complaints/{control}/callbacks/{fulfilled}/fulfil/",
        "already kept (409)",
        {},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{listen}/callbacks/{promise}/fulfil/",
        "another complaint's promise",
        {},
        s=404,
        v=404,
        m=403,
    ),
    # --- API: compensation ------------------------------------------------------------
    api(
        "post",
        "/api/complaints/{control}/compensation-requests/",
        "open",
        {"amount": "500.00", "reason": "Broken twice."},
        s=201,
        v=201,
        m=403,
    ),
    api(
        "post",
        "/api/complaints/{pending_complaint}/compensation-requests/",
        "one already pending (409)",
        {"amount": "500.00", "reason": "Broken twice."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/complaints/{closed}/compensation-requests/",
        "closed (409)",
        {"amount": "500.00", "reason": "Broken twice."},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/compensation-requests/{pending}/approve/",
        "pending",
        {"note": "Fine."},
        s=403,
        v=200,
        m=403,
    ),
    api(
        "post",
        "/api/compensation-requests/{decided}/approve/",
        "decided (409)",
        {"note": "Fine."},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/compensation-requests/{missing}/approve/",
        "missing",
        {"note": ""},
        # Role first, then the object: a 403 tells nothing about what exists.
        s=403,
        v=404,
        m=403,
    ),
    api(
        "post",
        "/api/compensation-requests/{pending}/refuse/",
        "pending",
        {"note": "Too much."},
        s=403,
        v=200,
        m=403,
    ),
    api(
        "post",
        "/api/compensation-requests/{decided}/refuse/",
        "decided (409)",
        {"note": "Too much."},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    # --- API: reports and preventive actions ------------------------------------------
    api("get", "/api/reports/weekly/?week={ended_week}", "ended week", s=403, v=200, m=200),
    # Managers publish and rebuild the weekly report (it is theirs; access.can_publish_reports).
    api("post", "/api/reports/weekly/rebuild/", "ended week", {"week": "{ended_week}"}, s=403, v=200, m=200),
    api(
        "post",
        "/api/reports/weekly/rebuild/",
        "running week (409)",
        {"week": "{current_week}"},
        s=403,
        v=409,
        m=409,
        **ROLES_ONLY,
    ),
    api("get", "/api/preventive-actions/", s=403, v=200, m=200),
    api(
        "post",
        "/api/preventive-actions/{action}/status/",
        "open action",
        {"status": "done", "note": ""},
        s=403,
        v=200,
        m=403,
    ),
    api(
        "post",
        "/api/preventive-actions/{action}/status/",
        "open -> verified (409)",
        {"status": "verified", "note": ""},
        s=403,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    api(
        "post",
        "/api/preventive-actions/{missing}/status/",
        "missing",
        {"status": "done", "note": ""},
        s=403,
        v=404,
        m=403,
    ),
    # --- Pages: queue, intake, complaint page and its actions --------------------------
    page("get", "/", **ALL_200),
    page("get", "/complaints/new/", s=200, v=200, m=403),
    page("post", "/complaints/new/", "existing customer", NEW_COMPLAINT, s=OK, v=OK, m=403),
    page("get", "/complaints/{control}/", **ALL_200),
    page("get", "/complaints/{missing}/", "missing", s=404, v=404, m=404),
    *[row for row in transition_rows() if row.kind == "page"],
    page(
        "post",
        "/complaints/{control}/",
        "escalate, not escalated",
        form("escalate", {"reason": "Angry"}),
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{escalated}/",
        "escalate, already escalated (409)",
        form("escalate", {"reason": "Angry"}),
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/complaints/{closed}/",
        "satisfaction, closed",
        form("satisfaction", {"score": "5"}),
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "satisfaction, open (409)",
        form("satisfaction", {"score": "5"}),
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "callback, open",
        form("callback", {"due_at": "{future_local}", "note": "Will call."}),
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{closed}/",
        "callback, closed (409)",
        form("callback", {"due_at": "{future_local}", "note": "Will call."}),
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "hold, open",
        form("hold", {"kind": "third_party", "reason": "Courier's report."}),
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{held}/",
        "resume, on hold",
        form("resume", {"note": "Photo came."}),
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "resume, not on hold (409)",
        form("resume", {}),
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "fulfil, open promise",
        {**form("fulfil", {"note": "Called."}), "promise": "{promise}"},
        s=OK,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "fulfil, already kept (409)",
        {**form("fulfil", {"note": "Called."}), "promise": "{fulfilled}"},
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "unknown action",
        {"action": "delete"},
        s=404,
        v=404,
        m=403,
    ),
    page("post", "/complaints/{missing}/", "missing", form("listen"), s=404, v=404, m=404),
    # Outside deadlines: supervisors put a complaint under a regime.
    page("get", "/complaints/{control}/regime/", s=403, v=302, m=403),
    page(
        "post",
        "/complaints/{control}/regime/",
        body=form("regime", {"regime": "{regime}"}),
        s=403,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/complaints/{missing}/regime/",
        "missing",
        form("regime", {"regime": "{regime}"}),
        s=403,
        v=404,
        m=403,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "redress offer",
        {
            "action": "redress",
            "step": "offer",
            "redress_offer-amount": "10",
            "redress_offer-description": "A voucher",
        },
        s=302,
        v=302,
        m=403,
    ),
    page(
        "post",
        "/complaints/{control}/",
        "redress paid before offered (409)",
        {
            "action": "redress",
            "step": "pay",
            "redress_pay-paid_on": "2026-01-05",
            "redress_pay-method": "cash",
        },
        s=409,
        v=409,
        m=403,
        **ROLES_ONLY,
    ),
    page("get", "/complaints/{closed}/letter/", "closed", **ALL_200),
    page("get", "/complaints/{control}/letter/", "open (no letter yet)", s=404, v=404, m=404),
    # --- Pages: customers -------------------------------------------------------------
    page("get", "/customers/{customer}/", **ALL_200),
    page("get", "/customers/{missing}/", "missing", s=404, v=404, m=404),
    page(
        "post",
        "/customers/{customer}/tier/",
        body={"tier": "A", "reason": "Key account."},
        s=403,
        v=302,
        m=403,
    ),
    page("post", "/customers/{customer}/merge/", "asked", {"duplicate": "{duplicate}"}, s=403, v=200, m=403),
    page(
        "post",
        "/customers/{customer}/merge/",
        "confirmed",
        {"duplicate": "{duplicate}", "confirm": "on"},
        s=403,
        v=302,
        m=403,
    ),
    page("post", "/customers/{missing}/merge/", "missing", {"duplicate": "{duplicate}"}, s=403, v=404, m=403),
    page(
        "post",
        "/customers/{customer}/vulnerability/",
        body={"kind": "age", "permanent": "on"},
        s=302,
        v=302,
        m=403,
    ),
    page(
        "post",
        "/customers/{missing}/vulnerability/",
        "missing",
        {"kind": "age", "permanent": "on"},
        s=404,
        v=404,
        m=403,
    ),
    page("post", "/customers/{customer}/vulnerability/clear/", "no flag (409)", s=409, v=409, m=403),
    # --- Pages: escalation queue ------------------------------------------------------
    page("get", "/escalations/", s=403, v=200, m=403),
    page("post", "/escalations/{escalated}/acknowledge/", "escalated", {"note": ""}, s=403, v=OK, m=403),
    page(
        "post",
        "/escalations/{control}/acknowledge/",
        "not escalated",
        {"note": ""},
        s=403,
        v=ERR,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/escalations/{escalated}/deescalate/",
        "escalated",
        {"reason": "Settled."},
        s=403,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/escalations/{control}/deescalate/",
        "not escalated",
        {"reason": "Settled."},
        s=403,
        v=ERR,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/escalations/{control}/reassign/",
        "open",
        {"assignee": "{worker}", "note": ""},
        s=403,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/escalations/{closed}/reassign/",
        "closed",
        {"assignee": "{worker}", "note": ""},
        s=403,
        v=ERR,
        m=403,
        **ROLES_ONLY,
    ),
    page("post", "/escalations/{control}/note/", body={"text": "Call after 5pm."}, s=403, v=OK, m=403),
    page("post", "/escalations/{control}/launch/", "unknown action", {}, s=403, v=404, m=403),
    page("post", "/escalations/{missing}/note/", "missing", {"text": "x"}, s=403, v=404, m=403),
    page("post", "/escalations/compensation/{pending}/approve/", "pending", {"note": ""}, s=403, v=OK, m=403),
    page(
        "post",
        "/escalations/compensation/{decided}/approve/",
        "decided",
        {"note": ""},
        s=403,
        v=ERR,
        m=403,
        **ROLES_ONLY,
    ),
    page("post", "/escalations/compensation/{pending}/refuse/", "pending", {"note": ""}, s=403, v=OK, m=403),
    page(
        "post",
        "/escalations/compensation/{pending}/maybe/",
        "unknown decision",
        {"note": ""},
        s=403,
        v=404,
        m=403,
    ),
    # --- Pages: reports ---------------------------------------------------------------
    page("get", "/brief/", "latest published brief", **ALL_200),
    # Every desk role searches what it may read; the time zone is each person's own choice.
    page("get", "/search/?q=CLR", "a search", **ALL_200),
    page("get", "/search/?q=x", "too short a search", **ALL_200),
    page("post", "/preferences/time-zone/", "a zone", {"time_zone": "Europe/Paris"}, s=302, v=302, m=302),
    page("post", "/preferences/time-zone/", "not a zone", {"time_zone": "Mars/Base"}, s=302, v=302, m=302),
    page("get", "/reports/", s=403, v=200, m=200),
    page("get", "/reports/redress.csv?week={ended_week}", "ended week", s=403, v=200, m=200),
    page("get", "/reports/redress.csv?week=2026-W99", "not a week", s=403, v=400, m=400, **ROLES_ONLY),
    page("get", "/reports/weekly/", "last full week", s=403, v=200, m=200),
    # Managers publish and rebuild the weekly report (it is theirs; access.can_publish_reports).
    page("post", "/reports/weekly/rebuild/", "ended week", {"week": "{ended_week}"}, s=403, v=OK, m=OK),
    page(
        "get", "/reports/complaints/?week={ended_week}&figure=closed", "a report figure", s=403, v=200, m=200
    ),
    page("get", "/reports/complaints/?week=2026-W99", "not a week", s=403, v=400, m=400, **ROLES_ONLY),
    page(
        "post",
        "/reports/weekly/rebuild/",
        "running week",
        {"week": "{current_week}"},
        s=403,
        v=ERR,
        m=ERR,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/reports/preventive-actions/{action}/status/",
        "open action",
        {"status": "done", "note": ""},
        s=403,
        v=OK,
        m=403,
    ),
    page(
        "post",
        "/reports/preventive-actions/{action}/status/",
        "open -> verified",
        {"status": "verified", "note": ""},
        s=403,
        v=ERR,
        m=403,
        **ROLES_ONLY,
    ),
    page(
        "post",
        "/reports/preventive-actions/{missing}/status/",
        "missing",
        {"status": "done"},
        s=403,
        v=404,
        m=403,
    ),
    # --- Systemic issues: every role reads; supervisors and managers change -------------
    page("get", "/issues/", "the register", **ALL_200),
    page("get", "/issues/new/", "the form", s=403, v=200, m=200),
    page(
        "post",
        "/issues/new/",
        "a valid issue",
        {"title": "Model X leaks", "status": "open"},
        s=403,
        v=302,
        m=302,
    ),
    page("get", "/issues/{issue}/", **ALL_200),
    page("get", "/issues/{missing}/", "missing", s=404, v=404, m=404),
    page(
        "post",
        "/issues/{issue}/",
        "link a complaint",
        {"action": "link", "references": "{reference}"},
        s=403,
        v=302,
        m=302,
    ),
    page(
        "post",
        "/issues/{missing}/",
        "missing",
        {"action": "link", "references": "{reference}"},
        s=403,
        v=404,
        m=404,
    ),
    page("post", "/issues/suggestions/{suggestion}/dismiss/", "pending suggestion", s=403, v=OK, m=OK),
    page("post", "/issues/suggestions/{missing}/accept/", "missing", s=403, v=404, m=404),
    api("get", "/api/systemic-issues/", **ALL_200),
    api("post", "/api/systemic-issues/", "new issue", {"title": "Model X leaks"}, s=403, v=201, m=201),
    api("get", "/api/systemic-issues/{issue}/", **ALL_200),
    api("get", "/api/systemic-issues/{missing}/", "missing", s=404, v=404, m=404),
    api("patch", "/api/systemic-issues/{issue}/", body={"status": "investigating"}, s=403, v=200, m=200),
    api(
        "post",
        "/api/systemic-issues/{issue}/complaints/",
        "link",
        {"complaints": ["{control}"]},
        s=403,
        v=200,
        m=200,
    ),
    api(
        "post",
        "/api/systemic-issues/{missing}/complaints/",
        "missing",
        {"complaints": ["{control}"]},
        s=403,
        v=404,
        m=404,
    ),
    api("delete", "/api/systemic-issues/{linked_issue}/complaints/{control}/", "linked", s=403, v=204, m=204),
    api(
        "delete",
        "/api/systemic-issues/{issue}/complaints/{control}/",
        "not linked (409)",
        s=403,
        v=409,
        m=409,
        **ROLES_ONLY,
    ),
    # --- Public pages: the customer's side --------------------------------------------
    public_page("get", "/health/", "counts only, no complaint named", 200),
    public_page("get", "/submit/", "form", 200),
    public_page("post", "/submit/", "valid complaint", 302, SUBMIT),
    public_page("get", "/track/{tracking}/", "own tracking token", 200),
    public_page("get", "/track/{survey}/", "someone else's token (a survey token)", 404),
    public_page("get", "/track/{unknown}/", "unknown token", 404),
    public_page("get", "/survey/{survey}/", "own survey token", 200),
    public_page("post", "/survey/{survey}/", "own survey token", 200, {"score": "4", "comment": ""}),
    public_page("get", "/survey/{used_survey}/", "own survey token, already answered", 410),
    public_page("post", "/survey/{used_survey}/", "own survey token, already answered", 410, {"score": "1"}),
    public_page("get", "/survey/{tracking}/", "someone else's token (a tracking token)", 404),
    public_page(
        "post", "/survey/{tracking}/", "someone else's token (a tracking token)", 404, {"score": "1"}
    ),
    public_page("get", "/survey/{unknown}/", "unknown token", 404),
    public_page("post", "/survey/{unknown}/", "unknown token", 404, {"score": "1"}),
    # --- Attachments ------------------------------------------------------------------
    api("get", "/api/complaints/{control}/attachments/", **ALL_200),
    api("get", "/api/complaints/{missing}/attachments/", "missing", s=404, v=404, m=404),
    api("post", "/api/complaints/{control}/attachments/", "a PDF", Multipart(file=PDF), s=201, v=201, m=403),
    api(
        "post",
        "/api/complaints/{missing}/attachments/",
        "missing",
        Multipart(file=PDF),
        s=404,
        v=404,
        m=403,
    ),
    api("get", "/api/attachments/{attachment}/download/", **ALL_200),
    api("get", "/api/attachments/{missing}/download/", "missing", s=404, v=404, m=404),
    page("get", "/complaints/{attachment_complaint}/files/{attachment}/", **ALL_200),
    page("get", "/complaints/{attachment_complaint}/files/{attachment}/thumbnail/", **ALL_200),
    page("get", "/complaints/{listen}/files/{attachment}/", "another complaint's file", s=404, v=404, m=404),
    page("get", "/complaints/{attachment_complaint}/files/{missing}/", "missing", s=404, v=404, m=404),
    page(
        "post",
        "/complaints/{control}/",
        "attach a file",
        Multipart({"action": "attach", "attach-uploads": PDF}),
        s=OK,
        v=OK,
        m=403,
    ),
    public_page("post", "/track/{tracking}/files/", "own tracking token", 302, Multipart(uploads=PDF)),
    public_page("get", "/track/{tracking}/files/", "own tracking token (POST only)", 405),
    public_page("post", "/track/{unknown}/files/", "unknown token", 404, Multipart(uploads=PDF)),
    public_page("get", "/track/{tracking}/files/{customer_file}/", "own token, own file", 200),
    public_page("get", "/track/{tracking}/files/{attachment}/", "own token, a staff file elsewhere", 404),
    public_page("get", "/track/{other_tracking}/files/{customer_file}/", "someone else's token", 404),
    public_page("get", "/track/{unknown}/files/{customer_file}/", "unknown token", 404),
    # --- Signing in and out -----------------------------------------------------------
    public_page("get", "/accounts/login/", "form", 200),
    # Signing in works for any active account (no role: in, then 403 on the desk); inactive: refused.
    Row(
        "page",
        "post",
        "/accounts/login/",
        "own credentials",
        _expect(200, 302, 200, 302, 302, 302),
        CREDENTIALS,
    ),
    public_page("post", "/accounts/logout/", "signed in or not", 200),
]

CELLS = [(principal, row, expected) for row in TABLE for principal, expected in row.expect]


def _cell_id(cell):
    principal, row, _expected = cell
    return f"{principal}|{row.method.upper()} {row.path}|{row.relation}"


# --- the world ------------------------------------------------------------------------


class World:
    """Objects made on first mention, so each cell builds only what it touches."""

    def __init__(self):
        self._made = {}

    @property
    def desk(self):
        """The staff member who sets things up (not one of the principals)."""
        return self["desk"]

    @property
    def boss(self):
        return self["boss"]

    def _make_desk(self):
        return UserFactory(username="desk", role="staff")

    def _make_boss(self):
        return UserFactory(username="boss", role="supervisor")

    def __getitem__(self, name):
        if name not in self._made:
            self._made[name] = getattr(self, f"_make_{name}")()
        return self._made[name]

    def value(self, name):
        """What a "{name}" placeholder stands for: a primary key or a string."""
        made = self[name]
        return made.pk if hasattr(made, "pk") else made

    def user(self, principal):
        if principal == ANON:
            return None
        if principal == NOROLE:
            return UserFactory(username="nobody")
        if principal == INACTIVE:
            user = UserFactory(username="gone", role="staff")
            user.is_active = False
            user.save(update_fields=["is_active"])
            return user
        return UserFactory(username=f"the-{principal}", role=principal)

    def _walk(self, to):
        complaint = make_complaint(by=self.desk)
        for name, data in STEPS:
            if complaint.stage == to:
                break
            complaint, _warnings = transitions.complaint_transition(
                complaint=complaint, name=name, data=data, by=self.desk
            )
        assert complaint.stage == to
        return complaint

    def _make_customer(self):
        return CustomerFactory()

    def _make_regime(self):
        """The code of an outside deadline regime in use."""
        from complaints.models import Regime, RegimeClock

        regime = Regime.objects.create(code="matrix", name="Matrix regime", is_enabled=True)
        RegimeClock.objects.create(
            regime=regime, code="answer", name="Answer", amount=15, unit="calendar_days", stops_at="closed"
        )
        return regime.code

    def _make_duplicate(self):
        return CustomerFactory()

    def _make_control(self):
        return make_complaint(by=self.desk)

    def _make_listen(self):
        return self._walk("listen")

    def _make_establish(self):
        return self._walk("establish")

    def _make_apologize(self):
        return self._walk("apologize")

    def _make_resolve(self):
        return self._walk("resolve")

    def _make_closed(self):
        return self._walk("closed")

    def _make_escalated(self):
        complaint = make_complaint(by=self.desk)
        return escalation_services.complaint_escalate(
            complaint=complaint, data={"reason": "Very angry."}, by=self.desk
        )

    def _make_held(self):
        complaint = make_complaint(by=self.desk)
        holds.put_on_hold(complaint, kind="customer", reason="Waiting for the receipt.", by=self.desk)
        return complaint

    def _make_worker(self):
        return UserFactory(username="cover", role="staff")

    def _make_promise(self):
        return callbacks.complaint_promise_callback(
            complaint=self["control"], data={"due_at": self["future"], "note": "Call."}, by=self.desk
        )

    def _make_fulfilled(self):
        promise = self["promise"]
        callbacks.complaint_fulfil_callback(
            complaint=self["control"], promise_id=promise.pk, data={}, by=self.desk
        )
        return promise

    def _make_pending(self):
        return compensation.compensation_request(
            complaint=self["control"], data={"amount": "500.00", "reason": "Broken twice."}, by=self.desk
        )

    def _make_pending_complaint(self):
        return self["pending"].complaint

    def _make_decided(self):
        return compensation.compensation_decide(request=self["pending"], approve=True, data={}, by=self.boss)

    def _make_action(self):
        return PreventiveAction.objects.get(complaint=self["closed"])

    def _make_tracking(self):
        complaint = public.public_file_complaint(
            name="Li Na",
            phone="+86 139 0000 7777",
            email="li@example.com",
            what_happened="Broken.",
            desired_outcome="A new one.",
            language="en",
        )
        return complaint.tracking_token

    def _make_other_tracking(self):
        complaint = public.public_file_complaint(
            name="Wang Wu",
            phone="+86 139 0000 8888",
            email="",
            what_happened="Late.",
            desired_outcome="An apology.",
            language="en",
        )
        return complaint.tracking_token

    def _make_attachment(self):
        """A photo staff attached to a complaint in Control."""
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (20, 20), (200, 0, 0)).save(out, "PNG")
        photo = SimpleUploadedFile("photo.png", out.getvalue())
        return attachments.attach_files(self["attachment_complaint"], [photo], by=self.desk)[0]

    def _make_attachment_complaint(self):
        return make_complaint(by=self.desk)

    def _make_customer_file(self):
        """A file the customer sent on their own tracking link."""
        complaint = Complaint.objects.get(tracking_token=self["tracking"])
        receipt = SimpleUploadedFile("receipt.pdf", PDF)
        return attachments.attach_files(complaint, [receipt], source="customer")[0]

    def _make_survey(self):
        return self["closed"].surveys.get().token

    def _make_used_survey(self):
        token = self["survey"]
        assert public.survey_answer(token=token, score=5, comment="") is not None
        return token

    def _make_unknown(self):
        return "n0-such-t0ken-" + "x" * 29

    def _make_missing(self):
        return 987654

    def _make_future(self):
        return (timezone.now() + timedelta(hours=2)).isoformat()

    def _make_future_local(self):
        return timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")

    def _make_issue(self):
        return SystemicIssue.objects.create(title="Kettles leak")

    def _make_linked_issue(self):
        issue = SystemicIssue.objects.create(title="Kettles leak after the update")
        systemic_services.systemic_issue_link(issue=issue, complaints=[self["control"]], by=self.boss)
        return issue

    def _make_reference(self):
        return self["control"].reference

    def _make_suggestion(self):
        suggestion = SystemicSuggestion.objects.create(
            fingerprint="f" * 64, category=self["control"].category, title="Kettles leak"
        )
        SystemicSuggestionComplaint.objects.create(suggestion=suggestion, complaint=self["control"])
        return suggestion

    def _make_ended_week(self):
        return weeks.week_label(weeks.last_full_week())

    def _make_current_week(self):
        return weeks.week_label(weeks.last_full_week() + timedelta(days=7))


class _Fill(dict):
    def __init__(self, world):
        super().__init__()
        self.world = world

    def __missing__(self, key):
        return self.world.value(key)


def _filled(value, fill):
    if isinstance(value, dict):
        return {k: _filled(v, fill) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, fill) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value.count("{") == 1:
        return fill[value[1:-1]]  # keep the type: an id stays an integer in JSON
    if isinstance(value, str):
        return value.format_map(fill)
    return value


def _call(row, principal, world):
    fill = _Fill(world)
    user = world.user(principal)
    path = row.path.format_map(fill)
    if row.body == CREDENTIALS:
        # Anonymous has no account: it sends nothing to the API and a made-up name to the page.
        anonymous = {} if row.kind == "token" else {"username": "stranger", "password": "guess"}
        body = {"username": user.username, "password": PASSWORD} if user else anonymous
    else:
        body = _filled(row.body or {}, fill)
    multipart = isinstance(row.body, Multipart)
    if multipart:
        body = {
            k: SimpleUploadedFile("evidence.pdf", v) if isinstance(v, bytes) else v for k, v in body.items()
        }
    if row.kind == "token":
        return APIClient().post(path, json.dumps(body), content_type="application/json")
    if row.kind == "api":
        client = APIClient()
        if user:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        if row.method == "get":
            return client.get(path)
        if multipart:
            return client.post(path, body, format="multipart")
        return client.generic(row.method.upper(), path, json.dumps(body), content_type="application/json")
    client = Client()
    if user:
        client.force_login(user)  # an inactive user's session counts as anonymous
    if row.method == "get":
        return client.get(path)
    return client.post(path, body)


def _explain(response):
    text = response.content[:400].decode(errors="replace")
    return f"{response.status_code} {response.get('Location', '')} {text}"


@pytest.mark.django_db
@pytest.mark.parametrize(("principal", "row", "expected"), CELLS, ids=[_cell_id(c) for c in CELLS])
def test_permission_matrix(principal, row, expected):
    world = World()
    response = _call(row, principal, world)
    where = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, _explain(response)
        assert where.startswith("/accounts/login/"), where
    elif expected in (OK, ERR):
        assert response.status_code == 302, _explain(response)
        assert not where.startswith("/accounts/login/"), where
        found = {m.level for m in get_messages(response.wsgi_request)}
        if expected == OK:
            assert levels.SUCCESS in found and levels.ERROR not in found, found
        else:
            assert levels.ERROR in found and levels.SUCCESS not in found, found
    else:
        assert response.status_code == expected, _explain(response)
        if expected == 302:
            assert not where.startswith("/accounts/login/"), where
    if expected in (LOGIN, 401, 403, 404):
        # A refusal names no complaint: it must not tell what exists behind an id or a token.
        body = response.content.decode(errors="replace")
        for reference in Complaint.objects.values_list("reference", flat=True):
            assert reference not in body, f"{reference} revealed: {_explain(response)}"


# --- completeness ---------------------------------------------------------------------

# URL patterns deliberately not in the table, each with the reason.
SKIPPED_PREFIXES = {
    "admin/": "Django admin: guarded by is_staff/superuser and model permissions, not the desk roles",
    "accounts/password_": "Django's password change/reset views, unchanged from django.contrib.auth",
    "accounts/reset/": "Django's password reset confirmation (needs a mailed uid and token)",
    "i18n/": "language switch (set_language): no data, no permission",
}
SKIPPED_ROUTES = {
    "api/": "DRF's browsable api-root: a list of links, answers every role alike",
    "api/<drf_format_suffix:format>": "DRF api-root with a format suffix",
}


def _is_format_suffix(route):
    # DRF's router adds ".json"-style twins of every route; they reach the same views.
    return "(?P<format>" in route or "<drf_format_suffix:format>" in route


def _join(prefix, route):
    # As django.urls.resolvers.URLResolver._join_route does, so the names match ResolverMatch.route.
    return prefix + (route[1:] if route.startswith("^") else route)


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _skipped(route):
    if route in SKIPPED_ROUTES or _is_format_suffix(route):
        return True
    return any(route.startswith(prefix) for prefix in SKIPPED_PREFIXES)


def _drf_methods(callback):
    """The methods a DRF view answers (None for plain Django views)."""
    actions = getattr(callback, "actions", None)
    if actions:
        return set(actions) - {"options", "head"}
    cls = getattr(callback, "cls", None)
    if cls is None:
        return None
    return {m for m in cls.http_method_names if m not in ("options", "head") and hasattr(cls, m)}


class _Dummy(dict):
    def __missing__(self, key):
        return "1"


def test_every_url_is_in_the_table():
    covered = {}
    for row in TABLE:
        path = row.path.format_map(_Dummy()).split("?")[0]
        covered.setdefault(resolve(path).route, set()).add(row.method)
    missing, methods_missing = [], []
    for route, callback in _patterns(get_resolver()):
        if _skipped(route):
            continue
        if route not in covered:
            missing.append(route)
            continue
        accepted = _drf_methods(callback)
        if accepted and accepted - covered[route]:
            methods_missing.append(f"{route}: {sorted(accepted - covered[route])}")
    summary = f"{len(CELLS)} cells in {len(TABLE)} rows"
    print(f"permission matrix: {summary}")
    assert not missing, f"URL patterns missing from TABLE ({summary}): {missing}"
    assert not methods_missing, f"methods missing from TABLE ({summary}): {methods_missing}"
    assert len(CELLS) > 300, summary
