"""A known six-week history for the weekly report (week under test: 2026-W47, Asia/Shanghai)."""

import datetime
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from complaints.escalations import services as escalation_services
from complaints.models import Complaint
from complaints.workflow import satisfaction, transitions
from tests.factories import CustomerFactory, make_complaint

WEEK = "2026-W47"


def local(*args):
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def move(complaint, name, data, by, at):
    complaint = Complaint.objects.get(pk=complaint.pk)
    complaint, warnings = transitions.complaint_transition(
        complaint=complaint, name=name, data=data, by=by, now=at
    )
    return complaint, warnings


def handle(
    *,
    by,
    received,
    respond_after=None,
    close_after=None,
    cause="supplier",
    department="logistics",
    resolution="full",
    score=None,
    apology="I am sorry this caused you trouble.",
    apology_by=None,
    severity="minor",
    channel="phone",
    category="delivery",
    tier="D",
):
    """Log a complaint at `received` and walk it as far as the timings say; return (complaint, warnings)."""
    complaint = make_complaint(
        by=by,
        customer=CustomerFactory(tier=tier),
        severity=severity,
        category=category,
        now=received,
        channel=channel,
    )
    # The report measures against the stored deadlines; pin them to the plain service levels
    # (respond in 1 hour; resolve in 24 hours minor, 7 days major) whatever the calendar says.
    Complaint.objects.filter(pk=complaint.pk).update(
        respond_by=received + timedelta(hours=1),
        resolve_by=received + (timedelta(days=7) if severity == "major" else timedelta(hours=24)),
    )
    warnings = []
    if respond_after is None:
        return complaint, warnings
    responded = received + respond_after
    complaint, _w = move(complaint, "listen", {}, by, responded)
    complaint, _w = move(
        complaint,
        "establish",
        {"what_happened": "Broken", "when_happened": "Monday", "desired_outcome": "A new one"},
        by,
        responded + timedelta(minutes=1),
    )
    complaint, _w = move(
        complaint,
        "apologize",
        {"restatement": "It arrived broken.", "customer_confirmed": True},
        by,
        responded + timedelta(minutes=2),
    )
    complaint, warnings = move(
        complaint, "resolve", {"apology": apology}, apology_by or by, responded + timedelta(minutes=3)
    )
    if close_after is None:
        return complaint, warnings
    closed = received + close_after
    complaint, _w = close(complaint, by, closed, cause=cause, department=department, resolution=resolution)
    if score is not None:
        satisfaction.complaint_record_satisfaction(
            complaint=complaint, data={"score": score}, by=by, now=closed + timedelta(hours=1)
        )
    return complaint, warnings


def close(complaint, by, at, *, cause, department, resolution="full"):
    return move(
        complaint,
        "close",
        {
            "resolution": resolution,
            "decision_reasons": "It was not right.",
            "customer_message": "We replaced it.",
            "remedy_due": timezone.localdate(at).isoformat(),
            "remedy": "We replaced it.",
            "preventive_action": f"Prevent {cause} next time.",
            "root_cause": cause,
            "responsible_department": department,
        },
        by,
        at,
    )


def build_history(staff, supervisor):
    """The six weeks; returns the number of phrase warnings filed by staff and by supervisors in the week."""
    two = timedelta(hours=2)
    quick = {
        "respond_after": timedelta(minutes=15),
        "close_after": two,
        "category": "other",
        "channel": "other",
    }
    # W-5 (Mon 2026-10-12) .. W-1 (Mon 2026-11-09): closed quickly, causes for the Pareto trend.
    handle(
        by=staff, received=local(2026, 10, 12, 10), cause="training", department="technical_service", **quick
    )
    handle(by=staff, received=local(2026, 10, 19, 10), cause="supplier", **quick)
    handle(by=staff, received=local(2026, 10, 26, 10), cause="supplier", **quick)
    handle(by=staff, received=local(2026, 10, 26, 11), cause="defect", department="quality", **quick)
    handle(by=staff, received=local(2026, 11, 2, 10), cause="process_gap", **quick)
    last_week_supplier, _w = handle(by=staff, received=local(2026, 11, 9, 10), cause="supplier", **quick)
    handle(by=staff, received=local(2026, 11, 9, 11), cause="system_error", department="it", **quick)
    # c6: received in W-1, closed in W after six days (major: within its seven days).
    handle(
        by=staff,
        received=local(2026, 11, 10, 9),
        respond_after=timedelta(minutes=90),
        close_after=timedelta(days=6),
        severity="major",
        tier="A",
    )
    # The week itself: Mon 2026-11-16 .. Mon 2026-11-23.
    c1, _w = handle(by=staff, received=local(2026, 11, 16, 10), respond_after=timedelta(minutes=30), tier="A")
    c1, _w = close(
        c1, staff, local(2026, 11, 16, 10) + timedelta(hours=20), cause="supplier", department="logistics"
    )
    c1, _w = move(c1, "reopen", {"reason": "The replacement is broken too."}, staff, local(2026, 11, 17, 7))
    c1, _w = move(
        c1,
        "establish",
        {"what_happened": "Broken again", "when_happened": "Tuesday", "desired_outcome": "Refund"},
        staff,
        local(2026, 11, 17, 7, 10),
    )
    c1, _w = move(
        c1,
        "apologize",
        {"restatement": "Both were broken.", "customer_confirmed": True},
        staff,
        local(2026, 11, 17, 7, 20),
    )
    c1, _w = move(
        c1, "resolve", {"apology": "I am sorry for the trouble."}, staff, local(2026, 11, 17, 7, 30)
    )
    c1, _w = close(
        c1, staff, local(2026, 11, 16, 10) + timedelta(hours=22), cause="supplier", department="logistics"
    )
    satisfaction.complaint_record_satisfaction(
        complaint=c1, data={"score": 5}, by=staff, now=local(2026, 11, 17, 9)
    )
    handle(  # c2
        by=staff,
        received=local(2026, 11, 16, 12),
        respond_after=two,
        close_after=timedelta(days=3),
        severity="major",
        channel="email",
        resolution="partial",
        score=2,
    )
    _c3, supervisor_warnings = handle(
        by=staff,
        received=local(2026, 11, 17, 9),
        respond_after=timedelta(minutes=10),
        close_after=timedelta(hours=30),
        cause="system_error",
        department="it",
        resolution="none",
        score=1,
        category="billing",
        apology="Sorry, but that is company policy.",
        apology_by=supervisor,
    )
    _c4, staff_warnings = handle(
        by=staff,
        received=local(2026, 11, 18, 9),
        respond_after=timedelta(minutes=20),
        close_after=timedelta(hours=4),
        cause="defect",
        department="quality",
        score=4,
        channel="counter",
        category="product_quality",
        tier="B",
        apology="I am sorry, but the courier was late.",
    )
    c5, _w = handle(
        by=staff,
        received=local(2026, 11, 19, 9),
        respond_after=timedelta(minutes=40),
        channel="web_form",
        tier="C",
    )
    escalation_services.complaint_escalate(
        complaint=c5, data={"reason": "VIP waiting"}, by=staff, now=local(2026, 11, 19, 12)
    )
    handle(by=staff, received=local(2026, 11, 20, 9), category="waiting_time")  # c7: never answered
    # One preventive action from W-1 done during the week.
    from complaints.models import PreventiveAction
    from complaints.reports import prevention

    action = PreventiveAction.objects.get(complaint=last_week_supplier)
    prevention.preventive_action_set_status(
        action=action, status="done", by=supervisor, now=local(2026, 11, 18, 15)
    )
    return len(staff_warnings), len(supervisor_warnings)
