"""The redress ledger: offers of redress, the customer's answer and the payment."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0032_systemic_issues"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Redress",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount")),
                ("description", models.TextField(blank=True, verbose_name="what is offered")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("offered", "Offered"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("paid", "Paid"),
                        ],
                        default="offered",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("offered_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="offered")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                ("answer_note", models.TextField(blank=True, verbose_name="what the customer said")),
                ("paid_at", models.DateTimeField(blank=True, null=True, verbose_name="payment recorded")),
                ("paid_on", models.DateField(blank=True, null=True, verbose_name="paid on")),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("bank_transfer", "Bank transfer"),
                            ("refund", "Refund to the original payment"),
                            ("cash", "Cash"),
                            ("voucher", "Voucher"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="payment method",
                    ),
                ),
                ("payment_reference", models.CharField(blank=True, max_length=100, verbose_name="payment reference")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answer recorded by",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redress",
                        to="complaints.complaint",
                        verbose_name="complaint",
                    ),
                ),
                (
                    "offered_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="offered by",
                    ),
                ),
                (
                    "paid_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="payment recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "redress",
                "verbose_name_plural": "redress ledger",
                "ordering": ["offered_at", "id"],
                "indexes": [
                    models.Index(fields=["offered_at"], name="redress_offered_at"),
                    models.Index(fields=["answered_at"], name="redress_answered_at"),
                    models.Index(fields=["paid_at"], name="redress_paid_at"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["offered", "accepted"])),
                        fields=("complaint",),
                        name="redress_one_in_play",
                    )
                ],
            },
        ),
    ]
