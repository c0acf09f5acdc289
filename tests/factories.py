import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from complaints import services
from complaints.models import Category
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
    return services.complaint_create(
        customer=customer or CustomerFactory(),
        channel=extra.pop("channel", "phone"),
        category=Category.objects.get(code=category),
        severity=severity,
        content=extra.pop("content", "The parcel arrived broken."),
        by=by,
        now=now or timezone.now(),
    )
