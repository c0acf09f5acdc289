"""Load demo users, customers and complaints in several stages. Safe to run again."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from complaints import access
from complaints.deadlines import sweep
from complaints.notifications import outbox
from complaints.workflow import intake, transitions
from customers.models import Customer

from ...models import Category, Complaint

# Why the emails the demo data queues are never sent (see outbox.withheld).
DEMO_WITHHELD = "demo data, loaded with past dates"
DEMO_PASSWORD = "clear-demo"  # noqa: S105 - published demo logins, printed by `make run`
DEMO_USERS = [
    # username, full name, group (None = superuser)
    ("staff", "Lin Wei", access.STAFF),
    ("staff2", "Ana Popescu", access.STAFF),
    ("supervisor", "Zhang Min", access.SUPERVISOR),
    ("manager", "Maria Ionescu", access.MANAGER),
    ("admin", "Site Admin", None),
]

CUSTOMERS = [
    ("Wang Fang", "+86 138 0013 8000", "wang.fang@example.com", "A"),
    ("Ion Georgescu", "+40 721 555 010", "ion.g@example.com", "B"),
    ("Chen Jie", "139-1234-5678", "", "C"),
    ("Elena Marin", "0722 333 444", "elena.marin@example.com", "D"),
    ("Li Na", "+86 150 8888 0000", "li.na@example.com", "D"),
]

STORIES = [
    # customer index, channel, category, severity, content, stage to reach, hours ago
    (
        0,
        "phone",
        "delivery",
        "major",
        "The fridge I ordered two weeks ago still has not arrived and nobody calls back.",
        "apologize",
        30,
    ),
    (1, "counter", "billing", "minor", "I was charged twice for the same repair.", "control", 0.5),
    (2, "email", "product_quality", "minor", "The kettle leaks from the bottom after one week.", "listen", 3),
    (
        3,
        "web_form",
        "service_attitude",
        "minor",
        "The technician was rude and left without finishing.",
        "closed",
        70,
    ),
    (
        4,
        "social_media",
        "waiting_time",
        "major",
        "I waited 40 minutes on the hotline and was cut off.",
        "control",
        2,
    ),
]


def settle_deadlines() -> None:
    """Sweep the deadlines the demo's past has already passed, inside outbox.withheld(), so
    the first sweep after start does not mail breaches that happened before it."""
    sweep.complaints_check_deadlines(now=timezone.now())


class Command(BaseCommand):
    help = "Create demo logins and sample complaints (idempotent)."

    def handle(self, *args, **options):
        # The demo's past must not mail anyone on first start: only what happens after it does.
        with outbox.withheld(why=DEMO_WITHHELD), transaction.atomic():
            users = self._users()
            if not Customer.objects.filter(phone_normalized="+8613800138000").exists():
                self._complaints(users)
                settle_deadlines()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, _name, group in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {group or 'superuser'}")

    def _users(self):
        User = get_user_model()
        users = {}
        for username, full_name, group in DEMO_USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@clear-desk.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = user.is_staff = group is None
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def _complaints(self, users):
        customers = []
        for name, phone, email, tier in CUSTOMERS:
            customer = Customer(name=name, phone=phone, email=email, tier=tier)
            customer.save()
            customers.append(customer)
        staff = users["staff"]
        for index, channel, category, severity, content, target, hours_ago in STORIES:
            complaint = intake.complaint_create(
                customer=customers[index],
                channel=channel,
                category=Category.objects.get(code=category),
                severity=severity,
                content=content,
                by=staff,
                now=timezone.now() - timedelta(hours=hours_ago),
            )
            self._walk(complaint, target, staff)

    def _walk(self, complaint, target, by):
        steps = [
            ("listen", {}),
            (
                "establish",
                {
                    "what_happened": complaint.content,
                    "when_happened": "Last week",
                    "desired_outcome": "A fix and a call back",
                },
            ),
            (
                "apologize",
                {
                    "restatement": "You have been waiting and nobody kept you informed.",
                    "customer_confirmed": True,
                    "customer_feelings": "frustrated",
                },
            ),
            ("resolve", {"apology": "I am sorry this has caused you so much trouble."}),
            (
                "close",
                {
                    "resolution": "full",
                    "decision_reasons": "Our technician left before the job was finished.",
                    "customer_message": "Our technician came back and finished the job.",
                    "remedy_due": timezone.localdate().isoformat(),
                    "remedy": "Technician revisited and finished the job.",
                    "preventive_action": "Checklist signed by the customer before a technician leaves.",
                    "root_cause": "training",
                    "responsible_department": "technical_service",
                },
            ),
        ]
        for name, data in steps:
            if complaint.stage == target:
                return
            complaint = Complaint.objects.get(pk=complaint.pk)
            complaint, _warnings = transitions.complaint_transition(
                complaint=complaint, name=name, data=data, by=by
            )
