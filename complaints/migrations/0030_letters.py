# The final response (decision reasons, remedy date, where to go next) and the referral
# texts the admin keeps.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0029_regimes")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="decision_reasons",
            field=models.TextField(blank=True, db_default="", verbose_name="reasons for the decision"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="remedy_due",
            field=models.DateField(blank=True, null=True, verbose_name="remedy due"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="referral_text",
            field=models.TextField(blank=True, db_default="", verbose_name="where to go next"),
        ),
        migrations.CreateModel(
            name="ReferralText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(verbose_name="text (English)")),
                ("text_zh", models.TextField(blank=True, verbose_name="text (Chinese)")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for the text every other complaint gets.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="complaints.category",
                        verbose_name="category",
                    ),
                ),
            ],
            options={
                "verbose_name": "referral text",
                "verbose_name_plural": "referral texts",
                "ordering": ["category__position", "category__code", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("category__isnull", False), ("is_active", True)),
                        fields=("category",),
                        name="referral_text_one_active_per_category",
                        violation_error_message="This category already has an active referral text.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("category__isnull", True), ("is_active", True)),
                        fields=("is_active",),
                        name="referral_text_one_active_default",
                        violation_error_message="There is already an active referral text for every category.",
                    ),
                ],
            },
        ),
    ]
