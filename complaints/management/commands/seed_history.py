"""Load six weeks of handled complaints so the weekly report has something to say. Safe to run again.

Everything goes through the services with `now=` set in the past, so the filed record,
the service levels and the preventive actions look exactly as if it had happened.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from complaints.escalations import compensation
from complaints.escalations import services as escalation_services
from complaints.notifications import outbox
from complaints.reports import prevention, weeks
from complaints.workflow import intake, satisfaction, transitions
from customers.models import Customer

from ...models import Category, Complaint, PreventiveAction
from .seed_demo import DEMO_WITHHELD, settle_deadlines

MARKER_PHONE = "+86 131 0000 0001"

HISTORY_CUSTOMERS = [
    ("Zhao Lei", MARKER_PHONE, "zhao.lei@example.com", "A"),
    ("Mihai Stan", "+40 731 222 101", "mihai.stan@example.com", "B"),
    ("Sun Li", "+86 131 0000 0003", "sun.li@example.com", "C"),
    ("Ioana Dobre", "+40 731 222 104", "", "D"),
    ("Huang Wen", "+86 131 0000 0005", "huang.wen@example.com", "D"),
    ("Andrei Pop", "+40 731 222 106", "andrei.pop@example.com", "D"),
]

# channel, category, severity, root cause, department, resolution, score,
# hours to respond, hours to close, apology
PATTERNS = [
    ("phone", "delivery", "major", "supplier", "logistics", "full", 4, 0.5, 60, "I am sorry for the wait."),
    (
        "web_form",
        "delivery",
        "minor",
        "process_gap",
        "logistics",
        "partial",
        2,
        2,
        30,
        "Sorry, but we are busy.",
    ),
    (
        "counter",
        "billing",
        "minor",
        "system_error",
        "it",
        "full",
        5,
        0.2,
        6,
        "I am sorry this cost you time.",
    ),
    (
        "email",
        "product_quality",
        "major",
        "defect",
        "quality",
        "partial",
        3,
        0.8,
        100,
        "We apologise for it.",
    ),
    ("phone", "service_attitude", "minor", "training", "customer_service", "full", 4, 0.3, 20, "I am sorry."),
    ("social_media", "waiting_time", "minor", "capacity", "customer_service", "none", 1, 1.5, 30, "Sorry."),
    ("phone", "delivery", "major", "supplier", "logistics", "full", 5, 0.4, 90, "I am sorry."),
    ("email", "information", "minor", "communication", "sales", "full", 4, 0.6, 10, "I am sorry, but no."),
]

PREVENTIVE = {
    "supplier": "Weekly call with the carrier about late deliveries; missed slots reported the same day.",
    "process_gap": "Delivery slot changes now need a confirmation text to the customer.",
    "system_error": "Duplicate-charge check added to the billing run.",
    "defect": "Batch inspection of kettles from the new supplier.",
    "training": "Technicians get the customer to sign the finished-job checklist.",
    "capacity": "Extra hotline staff on Monday mornings.",
    "communication": "Product pages list delivery times per region.",
}


class Command(BaseCommand):
    help = "Create six weeks of closed complaints for the weekly report (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=6)

    def handle(self, *args, **options):
        User = get_user_model()
        staff = User.objects.filter(username="staff").first()
        supervisor = User.objects.filter(username="supervisor").first()
        if not staff or not supervisor:
            raise CommandError("Run seed_demo first: it creates the demo logins.")
        if Customer.objects.filter(phone_normalized="+8613100000001").exists():
            self.stdout.write("Report history already loaded.")
            return
        now = timezone.now()
        # Six weeks of history queue their emails as they go; none of them is ever sent.
        with outbox.withheld(why=DEMO_WITHHELD), transaction.atomic():
            customers = [
                Customer.objects.create(name=n, phone=p, email=e, tier=t) for n, p, e, t in HISTORY_CUSTOMERS
            ]
            this_monday = weeks.last_full_week(now) + timedelta(days=7)
            count = 0
            for weeks_ago in range(options["weeks"], 0, -1):
                monday = this_monday - timedelta(days=7 * weeks_ago)
                start, _end = weeks.week_bounds(monday)
                # More complaints in recent weeks, so the trend has a shape.
                for i in range(4 + (options["weeks"] - weeks_ago)):
                    pattern = PATTERNS[(i + weeks_ago) % len(PATTERNS)]
                    received = start + timedelta(hours=9 + 13 * i)
                    self._one(customers[i % len(customers)], pattern, received, staff, supervisor, now, i)
                    count += 1
            self._escalations(customers, staff, now)
            settle_deadlines()
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} complaints over {options['weeks']} weeks."))

    def _escalations(self, customers, staff, now):
        """Open escalations for the supervisors' queue, one with compensation awaiting approval."""
        for customer, hours_ago, reason in (
            (customers[0], 5, "VIP customer, second failed delivery; asked for a manager."),
            (customers[3], 2, "The customer wants compensation above my authority."),
        ):
            complaint = intake.complaint_create(
                customer=customer,
                channel="phone",
                category=Category.objects.get(code="delivery"),
                severity="major",
                content="The delivery was missed again and nobody called.",
                by=staff,
                now=now - timedelta(hours=hours_ago),
            )
            escalation_services.complaint_escalate(
                complaint=complaint, data={"reason": reason}, by=staff, now=now
            )
        compensation.compensation_request(
            complaint=complaint,
            data={"amount": "350.00", "reason": "Two missed days off work."},
            by=staff,
            now=now,
        )

    def _one(self, customer, pattern, received, staff, supervisor, now, i):
        channel, category, severity, cause, department, resolution, score, respond_h, close_h, apology = (
            pattern
        )
        complaint = intake.complaint_create(
            customer=customer,
            channel=channel,
            category=Category.objects.get(code=category),
            severity=severity,
            content=f"History: {category} problem reported on {received:%Y-%m-%d}.",
            by=staff,
            now=received,
        )
        if i % 7 == 3:
            escalation_services.complaint_escalate(
                complaint=complaint,
                data={"reason": "The customer asked for a manager."},
                by=staff,
                now=received,
            )
        steps = [
            ("listen", {}, respond_h),
            (
                "establish",
                {
                    "what_happened": complaint.content,
                    "when_happened": "The day before",
                    "desired_outcome": "A fix",
                },
                respond_h + 0.2,
            ),
            (
                "apologize",
                {"restatement": "Your order let you down.", "customer_confirmed": True},
                respond_h + 0.4,
            ),
            ("resolve", {"apology": apology}, respond_h + 0.6),
            (
                "close",
                {
                    "resolution": resolution,
                    "decision_reasons": "What you bought did not work as it should.",
                    "customer_message": "We replaced it and called you back.",
                    "remedy_due": timezone.localdate(received + timedelta(hours=close_h)).isoformat(),
                    "remedy": "Replaced and called back.",
                    "preventive_action": PREVENTIVE[cause],
                    "root_cause": cause,
                    "responsible_department": department,
                },
                close_h,
            ),
        ]
        for name, data, hours in steps:
            at = received + timedelta(hours=hours)
            if at >= now:
                return  # still being handled
            complaint = Complaint.objects.get(pk=complaint.pk)
            complaint, _warnings = transitions.complaint_transition(
                complaint=complaint, name=name, data=data, by=staff, now=at
            )
        closed_at = received + timedelta(hours=close_h)
        if i == 1 and closed_at + timedelta(hours=3) < now:
            # One complaint a week comes back: reopened and closed again.
            complaint = self._reopen_and_close(complaint, steps, staff, closed_at)
            closed_at = complaint.closed_at
        if closed_at + timedelta(days=1) < now:
            satisfaction.complaint_record_satisfaction(
                complaint=complaint,
                data={"score": score, "comment": ""},
                by=staff,
                now=closed_at + timedelta(days=1),
            )
        action = PreventiveAction.objects.filter(complaint=complaint).order_by("id").first()
        if action and i % 3 == 0 and closed_at + timedelta(days=3) < now:
            prevention.preventive_action_set_status(
                action=action, status="done", by=supervisor, note="Done.", now=closed_at + timedelta(days=3)
            )

    def _reopen_and_close(self, complaint, steps, by, closed_at):
        at = closed_at + timedelta(hours=1)
        complaint, _w = transitions.complaint_transition(
            complaint=complaint,
            name="reopen",
            data={"reason": "The customer called: not fixed."},
            by=by,
            now=at,
        )
        for n, (name, data, _hours) in enumerate(steps[1:], start=1):
            complaint = Complaint.objects.get(pk=complaint.pk)
            complaint, _w = transitions.complaint_transition(
                complaint=complaint, name=name, data=data, by=by, now=at + timedelta(minutes=20 * n)
            )
        return complaint
