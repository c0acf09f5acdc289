import pytest

from complaints.models import Complaint, ComplaintRecord

pytestmark = pytest.mark.django_db

ESTABLISH = {
    "what_happened": "The washing machine floods the kitchen on every spin cycle.",
    "when_happened": "Since Monday morning",
    "desired_outcome": "A replacement machine this week",
    "purchase_date": "2026-10-02",
    "product": "WM-700",
    "contact_preference": "phone",
}
APOLOGIZE = {
    "restatement": "Your new machine floods the kitchen and you need a working one this week.",
    "customer_confirmed": True,
    "customer_feelings": "worried and angry",
}
RESOLVE = {"apology": "I'm sorry this has caused you so much trouble at home."}
CLOSE = {
    "resolution": "full",
    "decision_reasons": "The machine's inlet valve was faulty from the factory.",
    "customer_message": "We are bringing you a new machine on Thursday.",
    "remedy_due": "2026-12-10",
    "remedy": "Replacement delivered on Thursday.",
    "preventive_action": "Leak test added to the pre-delivery check.",
    "root_cause": "defect",
    "responsible_department": "quality",
    "compensation": "50.00",
}
STEPS = [
    ("listen", {}),
    ("establish", ESTABLISH),
    ("apologize", APOLOGIZE),
    ("resolve", RESOLVE),
    ("close", CLOSE),
]


def post(client, complaint_id, name, data):
    return client.post(f"/api/complaints/{complaint_id}/transitions/{name}/", data, format="json")


def create_complaint(client):
    customer = client.post(
        "/api/customers/", {"name": "Wang Fang", "phone": "+86 138-0013-8000", "email": "wf@example.com"}
    )
    assert customer.status_code == 201, customer.content
    response = client.post(
        "/api/complaints/",
        {
            "customer": customer.json()["id"],
            "channel": "phone",
            "category": "product_quality",
            "severity": "major",
            "content": "My new washing machine floods the kitchen!",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_happy_path_walks_all_stages_and_files_the_record(staff_api, staff_user):
    created = create_complaint(staff_api)
    assert created["stage"] == "control"
    assert created["reference"].startswith("CLR-")
    assert created["available_transitions"] == ["listen"]
    assert created["assignee"] is None

    for name, data in STEPS:
        response = post(staff_api, created["id"], name, data)
        assert response.status_code == 200, (name, response.content)
        assert response.json()["stage"] == ("closed" if name == "close" else name)

    body = response.json()
    assert body["assignee"] == staff_user.pk
    assert body["root_cause"] == "defect"
    assert body["compensation"] == "50.00"
    assert body["available_transitions"] == ["reopen"]

    everything = staff_api.get(f"/api/complaints/{created['id']}/records/").json()
    # The messages the customer was sent are filed beside the steps, by nobody (the desk).
    sent = [r for r in everything if r["data"].get("action") == "customer_message"]
    assert [r["data"]["message"] for r in sent] == [
        "acknowledgement",
        "responded",
        "proposed",
        "final_response",
        "survey",
    ]
    assert all(r["author"] is None and r["kind"] == "process" for r in sent)
    records = [r for r in everything if r not in sent]
    assert [r["kind"] for r in records] == ["content"] + ["process"] * 5 + ["outcome"]
    assert records[0]["data"]["content"] == "My new washing machine floods the kitchen!"
    process = [r for r in records if r["kind"] == "process"]
    assert [(r["data"]["from"], r["data"]["to"]) for r in process] == [
        ("control", "listen"),
        ("listen", "establish"),
        ("establish", "apologize"),
        ("apologize", "resolve"),
        ("resolve", "closed"),
    ]
    assert all(r["author"] == staff_user.pk for r in records)
    assert process[1]["data"]["what_happened"] == ESTABLISH["what_happened"]
    assert process[1]["data"]["purchase_date"] == "2026-10-02"
    assert process[2]["data"]["restatement"] == APOLOGIZE["restatement"]
    assert process[3]["data"]["apology"] == RESOLVE["apology"]
    outcome = records[-1]["data"]
    assert outcome == {
        "resolution": "full",
        "decision_reasons": "The machine's inlet valve was faulty from the factory.",
        "customer_message": "We are bringing you a new machine on Thursday.",
        "remedy_due": "2026-12-10",
        "remedy": "Replacement delivered on Thursday.",
        "preventive_action": "Leak test added to the pre-delivery check.",
        "root_cause": "defect",
        "responsible_department": "quality",
        "compensation": "50.00",
    }


def walk_to(client, complaint_id, stage):
    for name, data in STEPS:
        if Complaint.objects.get(pk=complaint_id).stage == stage:
            return
        assert post(client, complaint_id, name, data).status_code == 200


MISSING = [
    ("establish", "listen", {**ESTABLISH, "what_happened": ""}, "what_happened"),
    ("establish", "listen", {k: v for k, v in ESTABLISH.items() if k != "when_happened"}, "when_happened"),
    ("establish", "listen", {**ESTABLISH, "desired_outcome": "   "}, "desired_outcome"),
    ("establish", "listen", {**ESTABLISH, "purchase_date": "next tuesday"}, "purchase_date"),
    ("establish", "listen", {**ESTABLISH, "contact_preference": "pigeon"}, "contact_preference"),
    ("apologize", "establish", {**APOLOGIZE, "customer_confirmed": False}, "customer_confirmed"),
    ("apologize", "establish", {**APOLOGIZE, "restatement": ""}, "restatement"),
    ("resolve", "apologize", {}, "apology"),
    ("close", "resolve", {**CLOSE, "resolution": "mostly"}, "resolution"),
    ("close", "resolve", {**CLOSE, "remedy": ""}, "remedy"),
    ("close", "resolve", {**CLOSE, "preventive_action": ""}, "preventive_action"),
    ("close", "resolve", {**CLOSE, "root_cause": "gremlins"}, "root_cause"),
    ("close", "resolve", {**CLOSE, "responsible_department": ""}, "responsible_department"),
    ("close", "resolve", {**CLOSE, "compensation": "-5"}, "compensation"),
]


@pytest.mark.parametrize(("name", "stage", "data", "field"), MISSING)
def test_missing_or_invalid_stage_data_is_400_and_changes_nothing(staff_api, name, stage, data, field):
    created = create_complaint(staff_api)
    walk_to(staff_api, created["id"], stage)
    records_before = ComplaintRecord.objects.filter(complaint_id=created["id"]).count()

    response = post(staff_api, created["id"], name, data)

    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]
    assert Complaint.objects.get(pk=created["id"]).stage == stage
    assert ComplaintRecord.objects.filter(complaint_id=created["id"]).count() == records_before


def test_reopen_without_reason_is_400(staff_api):
    created = create_complaint(staff_api)
    walk_to(staff_api, created["id"], "closed")
    response = post(staff_api, created["id"], "reopen", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()


@pytest.mark.parametrize("name", ["establish", "apologize", "resolve", "close", "reopen"])
def test_transition_from_the_wrong_stage_is_409(staff_api, name):
    created = create_complaint(staff_api)  # in control: only listen is possible
    response = post(
        staff_api, created["id"], name, {**ESTABLISH, **APOLOGIZE, **RESOLVE, **CLOSE, "reason": "x"}
    )
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Complaint.objects.get(pk=created["id"]).stage == "control"


def test_listen_twice_is_409(staff_api):
    created = create_complaint(staff_api)
    assert post(staff_api, created["id"], "listen", {}).status_code == 200
    assert post(staff_api, created["id"], "listen", {}).status_code == 409


def test_unknown_transition_is_404(staff_api, complaint):
    response = post(staff_api, complaint.pk, "teleport", {})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_listen_keeps_an_existing_assignee(staff_api, complaint, other_staff_user):
    Complaint.objects.filter(pk=complaint.pk).update(assignee=other_staff_user)
    body = post(staff_api, complaint.pk, "listen", {}).json()
    assert body["assignee"] == other_staff_user.pk


def test_reopen_from_closed_goes_back_to_listen(staff_api):
    created = create_complaint(staff_api)
    walk_to(staff_api, created["id"], "closed")
    response = post(staff_api, created["id"], "reopen", {"reason": "The replacement leaks too."})
    assert response.status_code == 200
    assert response.json()["stage"] == "listen"
    assert response.json()["closed_at"] is None
    last = ComplaintRecord.objects.filter(complaint_id=created["id"]).last()
    assert last.data["transition"] == "reopen"
    assert last.data["reason"] == "The replacement leaks too."


def test_body_that_is_not_an_object_is_400(staff_api, complaint):
    response = post(staff_api, complaint.pk, "listen", ["nope"])
    assert response.status_code == 400


def test_apology_with_but_comes_back_with_a_warning_and_goes_through(staff_api):
    created = create_complaint(staff_api)
    walk_to(staff_api, created["id"], "apologize")
    response = post(staff_api, created["id"], "resolve", {"apology": "I'm sorry, but that's company policy."})
    assert response.status_code == 200
    rules = {w["rule"] for w in response.json()["warnings"]}
    assert rules == {"sorry_but", "policy"}
    record = ComplaintRecord.objects.filter(complaint_id=created["id"], data__transition="resolve").get()
    assert {w["rule"] for w in record.data["warnings"]} == {"sorry_but", "policy"}


def test_escalate_marks_the_complaint_and_files_a_process_record(staff_api, complaint, staff_user):
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/escalate/", {"reason": "Customer asks for a manager"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["escalated"] is True
    record = ComplaintRecord.objects.filter(complaint=complaint).last()
    assert record.kind == "process"
    assert record.data == {"action": "escalate", "reason": "Customer asks for a manager"}
    assert record.author == staff_user
    again = staff_api.post(f"/api/complaints/{complaint.pk}/escalate/", {"reason": "again"}, format="json")
    assert again.status_code == 409


def test_escalate_needs_a_reason(staff_api, complaint):
    response = staff_api.post(f"/api/complaints/{complaint.pk}/escalate/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_satisfaction_after_close_files_a_satisfaction_record(staff_api):
    created = create_complaint(staff_api)
    url = f"/api/complaints/{created['id']}/satisfaction/"
    assert staff_api.post(url, {"score": 4}, format="json").status_code == 409
    walk_to(staff_api, created["id"], "closed")
    assert staff_api.post(url, {"score": 6}, format="json").status_code == 400
    response = staff_api.post(url, {"score": 4, "comment": "Quick and polite."}, format="json")
    assert response.status_code == 200
    assert response.json()["satisfaction_score"] == 4
    record = ComplaintRecord.objects.filter(complaint_id=created["id"]).last()
    assert record.kind == "satisfaction"
    assert record.data == {"score": 4, "comment": "Quick and polite."}


def test_create_complaint_validates_codes(staff_api):
    customer = staff_api.post("/api/customers/", {"name": "X", "phone": "139 0000 0123"}).json()
    response = staff_api.post(
        "/api/complaints/",
        {"customer": customer["id"], "channel": "fax", "category": "nope", "severity": "huge", "content": ""},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"channel", "category", "severity", "content"}


def test_deadlines_follow_severity(staff_api):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    shanghai = ZoneInfo("Asia/Shanghai")
    # Tuesday 10:00 in an ordinary week: respond within 1 working hour, resolve within
    # 7 working days (the next week's Thursday, same time).
    with time_machine.travel(dt.datetime(2026, 11, 17, 10, 0, tzinfo=shanghai), tick=False):
        created = create_complaint(staff_api)  # major
    complaint = Complaint.objects.get(pk=created["id"])
    assert (complaint.respond_by - complaint.created_at).total_seconds() == 3600
    assert complaint.resolve_by == dt.datetime(2026, 11, 26, 10, 0, tzinfo=shanghai)


def test_list_filters_and_ordering(staff_api, staff_user, other_staff_user):
    from tests.factories import make_complaint

    a = make_complaint(by=staff_user, severity="major")
    b = make_complaint(by=staff_user, severity="minor")
    staff_api.post(f"/api/complaints/{a.pk}/transitions/listen/", {}, format="json")
    staff_api.post(f"/api/complaints/{b.pk}/escalate/", {"reason": "VIP"}, format="json")

    def refs(query):
        response = staff_api.get(f"/api/complaints/?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert refs("stage=listen") == [a.pk]
    assert refs("escalated=true") == [b.pk]
    assert refs(f"assignee={staff_user.pk}") == [a.pk]
    assert refs(f"customer={a.customer_id}") == [a.pk]
    assert refs("overdue=true") == []
    assert refs("ordering=resolve_by") == [b.pk, a.pk]
    assert refs("ordering=-resolve_by") == [a.pk, b.pk]
    assert staff_api.get("/api/complaints/?stage=sideways").status_code == 400
    assert staff_api.get("/api/complaints/?page=99").status_code == 404


def test_overdue_filter_finds_complaints_past_their_deadline(staff_api, staff_user):
    import datetime as dt
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    import time_machine
    from django.utils import timezone

    from tests.factories import make_complaint

    # Tuesday afternoon: the one-working-hour response window is plain clock time.
    with time_machine.travel(dt.datetime(2026, 11, 17, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        late = make_complaint(by=staff_user, now=timezone.now() - timedelta(hours=2))
        make_complaint(by=staff_user)
        rows = staff_api.get("/api/complaints/?overdue=true").json()["results"]
    assert [r["id"] for r in rows] == [late.pk]
    assert rows[0]["overdue"] is True


def test_overdue_filter_and_each_complaints_overdue_flag_follow_the_same_rule(staff_api, staff_user):
    """In Control either deadline counts; after the first answer only the resolution
    deadline; closed complaints are never overdue. overdue=false is the exact complement."""
    from datetime import timedelta

    from django.utils import timezone

    from complaints.models import Complaint
    from tests.factories import make_complaint

    now = timezone.now()
    past, future = now - timedelta(hours=1), now + timedelta(hours=1)
    cases = {
        ("control", past, future): True,
        ("control", future, past): True,
        ("control", future, future): False,
        ("listen", past, future): False,
        ("apologize", future, past): True,
        ("resolve", future, future): False,
        ("closed", past, past): False,
    }
    expected = {}
    for (stage, respond_by, resolve_by), overdue in cases.items():
        pk = make_complaint(by=staff_user).pk
        Complaint.objects.filter(pk=pk).update(stage=stage, respond_by=respond_by, resolve_by=resolve_by)
        expected[pk] = overdue

    def ids(query):
        rows = staff_api.get(f"/api/complaints/?{query}&page_size=50").json()["results"]
        return {row["id"]: row["overdue"] for row in rows}

    assert ids("overdue=true") == {pk: True for pk, overdue in expected.items() if overdue}
    assert ids("overdue=false") == {pk: False for pk, overdue in expected.items() if not overdue}
    assert all(Complaint.objects.get(pk=pk).is_overdue() == overdue for pk, overdue in expected.items())


def test_options_list_every_configured_list(staff_api):
    body = staff_api.get("/api/options/").json()
    assert set(body) == {"channels", "categories", "severities", "root_causes", "departments", "resolutions"}
    assert {"code": "minor", "label": "Minor"} in body["severities"]
    assert {e["code"] for e in body["resolutions"]} == {"full", "partial", "none"}
    assert "web_form" in {e["code"] for e in body["channels"]}
    assert all(set(e) == {"code", "label"} for lst in body.values() for e in lst)


def test_options_speak_chinese(staff_api):
    body = staff_api.get("/api/options/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    labels = {e["code"]: e["label"] for e in body["categories"]}
    assert labels["delivery"] == "配送与物流"


def test_token_login(api, staff_user):
    response = api.post("/api/token/", {"username": "lin", "password": "pw"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/complaints/").status_code == 200
    assert api.post("/api/token/", {"username": "lin", "password": "wrong"}, format="json").status_code == 400


def test_coach_check(staff_api):
    response = staff_api.post("/api/coach/check/", {"text": "Calm down, it's not my job."}, format="json")
    assert response.status_code == 200
    assert {w["rule"] for w in response.json()["warnings"]} == {"calm_down", "not_my_business"}
    for warning in response.json()["warnings"]:
        assert warning["phrase"] and warning["why"] and warning["suggestion"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/complaints/null/records/",
        "/api/complaints/1e5/transitions/listen/",
        "/api/complaints/99999999999999999999999/",
        "/api/customers/abc/",
    ],
)
def test_odd_ids_are_404_not_500(staff_api, url):
    assert staff_api.get(url).status_code == 404
    assert staff_api.post(url, {}, format="json").status_code in (404, 405)


@pytest.mark.parametrize(
    "query",
    ["customer=-4.1e251", "assignee=99999999999999999999999", "customer=abc", "search=%00", "stage=%00"],
)
def test_odd_filters_are_400_not_500(staff_api, query):
    assert staff_api.get(f"/api/complaints/?{query}").status_code == 400


def test_json_values_must_have_the_documented_types(staff_api, complaint):
    assert staff_api.post("/api/customers/", {"name": "A", "phone": 123}).json() == {
        "phone": ["Send this as text (a JSON string)."]
    }
    assert staff_api.post("/api/coach/check/", {"text": 0}).status_code == 400
    assert post(staff_api, complaint.pk, "listen", {}).status_code == 200
    bad = post(staff_api, complaint.pk, "establish", {**ESTABLISH, "what_happened": 5})
    assert bad.status_code == 400
    assert set(bad.json()) == {"what_happened"}
    assert post(staff_api, complaint.pk, "establish", ESTABLISH).status_code == 200
    confirmed_as_text = post(staff_api, complaint.pk, "apologize", {**APOLOGIZE, "customer_confirmed": "yes"})
    assert confirmed_as_text.status_code == 400
    assert Complaint.objects.get(pk=complaint.pk).stage == "establish"


def test_the_api_speaks_json_only(staff_api, complaint):
    response = staff_api.post("/api/coach/check/", {"text": "hi"}, format="multipart")
    assert response.status_code == 415


@pytest.mark.parametrize("size", ["abc", "0", "-1", "201", "1.5"])
def test_bad_page_size_is_400(staff_api, size):
    response = staff_api.get(f"/api/complaints/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("flag", ["escalated", "overdue", "supervisor_attention"])
@pytest.mark.parametrize("value", ["null", "yes", "1", "TRUE"])
def test_flags_take_true_or_false_only(staff_api, flag, value):
    response = staff_api.get(f"/api/complaints/?{flag}={value}")
    assert response.status_code == 400
    assert flag in response.json()
