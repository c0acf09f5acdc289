# Outside deadlines: regimes (a regulator's clocks) kept in the admin, the rules that give
# them to new complaints, each complaint's copy of its clocks, and three examples, not in use.
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


# Three examples, in use nowhere until an administrator switches one on and writes the
# rules that give it to complaints: (code, name, Chinese name, description, clocks), each
# clock (code, name, Chinese name, amount, unit, due at closing time, stops when).
EXAMPLES = [
    (
        "12315-referral",
        "12315 referral (China)",
        "12315 平台转办（中国）",
        "Complaints the market regulator's 12315 platform passes on: the referral is answered "
        "within 7 working days, and a mediation that reaches no agreement ends after 45 working days.",
        [
            ("answer", "Answer the referral", "答复转办", 7, "working_days", False, "first_response"),
            ("mediation", "Mediation ends", "调解结束", 45, "working_days", False, "closed"),
        ],
    ),
    (
        "fca-disp",
        "FCA DISP (UK financial services)",
        "英国金融行为监管局投诉规则 DISP",
        "A complaint settled by the end of the 3rd business day after it arrived gets a summary "
        "resolution letter; any other gets a final response within 8 weeks, saying where the "
        "customer can go next (the ombudsman).",
        [
            (
                "summary-resolution",
                "Summary resolution (end of the 3rd business day)",
                "简要解决（第 3 个工作日结束前）",
                3,
                "working_days",
                True,
                "closed",
            ),
            (
                "final-response",
                "Final response (8 weeks)",
                "最终答复（8 周）",
                56,
                "calendar_days",
                False,
                "closed",
            ),
        ],
    ),
    (
        "cfpb",
        "CFPB (US consumer finance)",
        "美国消费者金融保护局 CFPB",
        "Complaints sent through the CFPB: a response within 15 calendar days (it may say the "
        "work is in progress), and the final one within 60 days at most.",
        [
            ("response", "Response (15 days)", "答复（15 天）", 15, "calendar_days", False, "first_response"),
            (
                "final-response",
                "Final response (60 days at most)",
                "最终答复（最多 60 天）",
                60,
                "calendar_days",
                False,
                "closed",
            ),
        ],
    ),
]


def seed(apps, schema_editor):
    Regime = apps.get_model("complaints", "Regime")
    RegimeClock = apps.get_model("complaints", "RegimeClock")
    for code, name, name_zh, description, clocks in EXAMPLES:
        regime, created = Regime.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_zh": name_zh, "description": description, "is_enabled": False},
        )
        if not created:
            continue
        for position, (clock, clock_name, clock_zh, amount, unit, closing, stops) in enumerate(clocks):
            RegimeClock.objects.create(
                regime=regime,
                code=clock,
                name=clock_name,
                name_zh=clock_zh,
                amount=amount,
                unit=unit,
                end_of_business_day=closing,
                stops_at=stops,
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0028_attachments"),
    ]

    operations = [
        migrations.CreateModel(
            name="Regime",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name (English)")),
                ("name_zh", models.CharField(blank=True, max_length=120, verbose_name="name (Chinese)")),
                ("description", models.TextField(blank=True, verbose_name="what it is")),
                (
                    "is_enabled",
                    models.BooleanField(
                        default=False,
                        help_text="Only regimes in use are given to new complaints, by rule or by hand.",
                        verbose_name="in use",
                    ),
                ),
            ],
            options={
                "verbose_name": "outside deadline regime",
                "verbose_name_plural": "outside deadline regimes",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="complaint",
            name="regime",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="complaints.regime",
                verbose_name="outside deadline regime",
            ),
        ),
        migrations.CreateModel(
            name="RegimeClock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name (English)")),
                ("name_zh", models.CharField(blank=True, max_length=120, verbose_name="name (Chinese)")),
                (
                    "amount",
                    models.PositiveIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3650),
                        ],
                        verbose_name="within",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[("working_days", "working days"), ("calendar_days", "calendar days")],
                        default="working_days",
                        max_length=20,
                        verbose_name="unit",
                    ),
                ),
                (
                    "end_of_business_day",
                    models.BooleanField(
                        default=False,
                        help_text="Due when the working day closes on the last day (e.g. “by the end of the 3rd business day”); otherwise at midnight of that day.",
                        verbose_name="due at closing time",
                    ),
                ),
                (
                    "stops_at",
                    models.CharField(
                        choices=[
                            ("first_response", "First response (the complaint leaves Control)"),
                            ("closed", "Closed"),
                        ],
                        max_length=20,
                        verbose_name="stops when",
                    ),
                ),
                (
                    "warn_before",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="In the clock's own unit. Leave empty to warn as the desk's own deadlines do, when three quarters of the time has gone.",
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(3650)],
                        verbose_name="warn this many days before",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "regime",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clocks",
                        to="complaints.regime",
                        verbose_name="regime",
                    ),
                ),
            ],
            options={
                "verbose_name": "outside deadline clock",
                "verbose_name_plural": "outside deadline clocks",
                "ordering": ["regime", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="ComplaintClock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stops_at",
                    models.CharField(
                        choices=[
                            ("first_response", "First response (the complaint leaves Control)"),
                            ("closed", "Closed"),
                        ],
                        max_length=20,
                        verbose_name="stops when",
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="started")),
                ("due_at", models.DateTimeField(verbose_name="due")),
                ("warn_at", models.DateTimeField(verbose_name="warn at")),
                ("met_at", models.DateTimeField(blank=True, null=True, verbose_name="met")),
                ("warned_at", models.DateTimeField(blank=True, null=True, verbose_name="warned")),
                ("breached_at", models.DateTimeField(blank=True, null=True, verbose_name="breached")),
                ("next_check_at", models.DateTimeField(blank=True, null=True, verbose_name="next check")),
                ("dropped_at", models.DateTimeField(blank=True, null=True, verbose_name="dropped")),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outside_clocks",
                        to="complaints.complaint",
                        verbose_name="complaint",
                    ),
                ),
                (
                    "regime",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="complaints.regime",
                        verbose_name="regime",
                    ),
                ),
                (
                    "clock",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="complaints.regimeclock",
                        verbose_name="clock",
                    ),
                ),
            ],
            options={
                "verbose_name": "complaint outside clock",
                "verbose_name_plural": "complaint outside clocks",
                "ordering": ["due_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="RegimeRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("phone", "Phone"),
                            ("counter", "Counter"),
                            ("email", "Email"),
                            ("web_form", "Web form"),
                            ("social_media", "Social media"),
                            ("other", "Other"),
                        ],
                        help_text="Empty: any channel.",
                        max_length=20,
                        verbose_name="channel",
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        blank=True,
                        choices=[("desk", "Logged by staff"), ("public", "The customer's own online form")],
                        help_text="Empty: any origin.",
                        max_length=20,
                        verbose_name="origin",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("is_enabled", models.BooleanField(default=True, verbose_name="in use")),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: any category.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="complaints.category",
                        verbose_name="category",
                    ),
                ),
                (
                    "regime",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rules",
                        to="complaints.regime",
                        verbose_name="regime",
                    ),
                ),
            ],
            options={
                "verbose_name": "outside deadline rule",
                "verbose_name_plural": "outside deadline rules",
                "ordering": ["position", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="regimeclock",
            constraint=models.UniqueConstraint(fields=("regime", "code"), name="regime_clock_code_unique"),
        ),
        migrations.AddIndex(
            model_name="complaintclock",
            index=models.Index(
                condition=models.Q(("next_check_at__isnull", False)),
                fields=["next_check_at"],
                name="complaint_clock_next_check",
            ),
        ),
        migrations.AddIndex(
            model_name="complaintclock",
            index=models.Index(
                condition=models.Q(("dropped_at__isnull", True)),
                fields=["due_at"],
                name="complaint_clock_due",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaintclock",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dropped_at__isnull", True)),
                fields=("complaint", "clock"),
                name="complaint_clock_once",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
