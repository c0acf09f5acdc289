"""Phones in E.164, and customers that can be merged into another.

Every stored phone that is a valid number (customers.phones.normalize_phone, in the region
of PHONE_DEFAULT_REGION) is rewritten in E.164, its lookup key with it. A phone that is not
a valid number is left exactly as it was typed (its key stays its digits), and the
migration says which customers have one. Two customers whose phones turn out to be the same
number both stay: the younger is marked phone_duplicate, which the one-phone-one-customer
constraint leaves out, and the migration names them so that a supervisor can merge them on
the customer page.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from customers.phones import normalize_phone


def phones_to_e164(apps, schema_editor, out=None):
    """Rewrite the phones; returns (unparseable ids, [(kept id, duplicate id, number), ...])."""
    Customer = apps.get_model("customers", "Customer")
    first_with = {}
    changed, unparseable, duplicates = [], [], []
    rows = Customer.objects.exclude(phone="").order_by("id").values_list("id", "phone", "phone_normalized")
    for pk, phone, key in rows.iterator(chunk_size=2000):
        number = normalize_phone(phone)
        if not number:
            unparseable.append(pk)
            continue
        duplicate = number in first_with
        if duplicate:
            duplicates.append((first_with[number], pk, number))
        else:
            first_with[number] = pk
        if (phone, key, duplicate) != (number, number, False):
            changed.append(Customer(pk=pk, phone=number, phone_normalized=number, phone_duplicate=duplicate))
    # The marks first, so that no statement ever holds two unmarked customers with one number.
    Customer.objects.bulk_update(changed, ["phone_duplicate"], batch_size=1000)
    Customer.objects.bulk_update(changed, ["phone", "phone_normalized"], batch_size=1000)
    _say(out, unparseable, duplicates)
    return unparseable, duplicates


def _say(out, unparseable, duplicates):
    import sys

    out = out or sys.stdout
    if unparseable:
        out.write(
            f"\n  Phones left as typed (not valid numbers) for {len(unparseable)} customers: "
            f"#{', #'.join(map(str, unparseable[:50]))}{' ...' if len(unparseable) > 50 else ''}\n"
        )
    for kept, duplicate, number in duplicates:
        out.write(f"\n  Customers #{kept} and #{duplicate} share {number}: merge one into the other.\n")


def keys_back(apps, schema_editor):
    """Going back keeps the E.164 phones (valid as typed); customers the old constraint would
    refuse (a shared phone, a merged customer) lose their lookup key, not their phone."""
    Customer = apps.get_model("customers", "Customer")
    shared = models.Q(phone_duplicate=True) | models.Q(merged_into__isnull=False)
    Customer.objects.filter(shared).update(phone_normalized="")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_customer_erased_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="customer",
            name="customer_unique_phone",
        ),
        migrations.AddField(
            model_name="customer",
            name="merged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="merged"),
        ),
        migrations.AddField(
            model_name="customer",
            name="merged_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="merged by",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_customers",
                to="customers.customer",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="phone_duplicate",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                verbose_name="phone shared with an older customer",
            ),
        ),
        migrations.RunPython(phones_to_e164, keys_back, elidable=False),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("phone_normalized", ""), _negated=True),
                    ("merged_into__isnull", True),
                    ("phone_duplicate", False),
                ),
                fields=("phone_normalized",),
                name="customer_unique_phone",
                violation_error_message="A customer with this phone number already exists.",
            ),
        ),
    ]
