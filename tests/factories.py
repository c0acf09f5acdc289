import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from complaints.models import Category
from complaints.workflow import intake, transitions
from customers.models import Customer


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+86 139 {n:04d} {n % 10000:04d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


def make_complaint(*, by, customer=None, severity="minor", category="product_quality", now=None, **extra):
    """A complaint logged through the service, so it has its content record."""
    return intake.complaint_create(
        customer=customer or CustomerFactory(),
        channel=extra.pop("channel", "phone"),
        category=Category.objects.get(code=category),
        severity=severity,
        content=extra.pop("content", "The parcel arrived broken."),
        by=by,
        now=now or timezone.now(),
    )


CLEAR_STEPS = [
    ("listen", {}),
    (
        "establish",
        {"what_happened": "Parcel broken", "when_happened": "Monday", "desired_outcome": "A new one"},
    ),
    (
        "apologize",
        {"restatement": "The parcel came broken and you want a new one.", "customer_confirmed": True},
    ),
    ("resolve", {"apology": "I am sorry this caused you trouble."}),
    (
        "close",
        {
            "resolution": "full",
            # The final response's blocks: reasons, and for an upheld complaint the remedy
            # the customer reads and its date.
            "decision_reasons": "The parcel was packed too loosely for the journey.",
            "customer_message": "A new one is on its way to you.",
            "remedy_due": timezone.localdate().isoformat(),
            "remedy": "We sent a replacement by courier.",
            "preventive_action": "Fragile goods now ship in double boxes.",
            "root_cause": "process_gap",
            "responsible_department": "logistics",
        },
    ),
]


def walk(complaint, by, to="closed", **close_overrides):
    """Move a complaint through CLEAR with the services, from where it stands, until it
    reaches stage `to`."""
    from django_fsm import can_proceed

    from complaints.models import Complaint

    for name, data in CLEAR_STEPS:
        complaint = Complaint.objects.get(pk=complaint.pk)
        if complaint.stage == to:
            break
        if not can_proceed(getattr(complaint, name)):
            continue
        if name == "close":
            data = {**data, **close_overrides}
        complaint, _warnings = transitions.complaint_transition(
            complaint=complaint, name=name, data=data, by=by
        )
    return complaint
