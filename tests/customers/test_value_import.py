from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from customers import services
from customers.models import Customer, ValueFigure
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _write(tmp_path, text):
    path = tmp_path / "values.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_finds_customers_by_id_phone_or_email_and_replaces_periods(tmp_path, capsys):
    a = CustomerFactory(phone="+86 138 0013 8000", email="a@example.com")
    b = CustomerFactory(phone="", email="B@Example.com")
    c = CustomerFactory()
    path = _write(
        tmp_path,
        "customer_id,phone,email,period,revenue,profit\n"
        f"{c.pk},,,2026-10-01,500,50\n"
        ",+86 138-0013-8000,,2026-10,1200.50,300\n"
        ',,b@example.com,2026-09-01,"1,000",100\n',
    )
    call_command("import_customer_values", path, "--recompute")
    assert "Imported 3 figures." in capsys.readouterr().out
    assert ValueFigure.objects.get(customer=a).revenue == Decimal("1200.50")
    assert ValueFigure.objects.get(customer=b).revenue == Decimal("1000")
    assert Customer.objects.get(pk=a.pk).tier == "A"
    # Importing the same period again replaces the figures rather than adding a row.
    call_command(
        "import_customer_values",
        _write(tmp_path, f"customer_id,period,revenue,profit\n{c.pk},2026-10-01,7,1\n"),
    )
    assert ValueFigure.objects.filter(customer=c).count() == 1
    assert ValueFigure.objects.get(customer=c).revenue == Decimal("7")


def test_import_with_a_bad_row_imports_nothing_and_names_the_lines(tmp_path):
    c = CustomerFactory()
    path = _write(
        tmp_path,
        "customer_id,phone,period,revenue,profit\n"
        f"{c.pk},,2026-10-01,500,50\n"
        "99999,,2026-10-01,1,1\n"
        f"{c.pk},,October,1,1\n"
        f"{c.pk},,2026-11-01,lots,1\n"
        ",,2026-11-01,1,1\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_customer_values", path)
    message = str(error.value)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in message
    assert "line 2" not in message
    assert not ValueFigure.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_customer_values", str(tmp_path / "missing.csv"))


def test_lifetime_value_uses_last_years_profit_and_settings(settings):
    settings.CLEAR_DESK = {
        **settings.CLEAR_DESK,
        "LTV_YEARLY_CHURN": 0.10,
        "LTV_ACQUISITION_COST": 75,
        "LTV_YEARLY_COST": 0,
    }
    customer = CustomerFactory()
    ValueFigure.objects.create(customer=customer, period=date(2026, 3, 1), revenue=400, profit=60)
    ValueFigure.objects.create(customer=customer, period=date(2026, 9, 1), revenue=300, profit=40)
    ValueFigure.objects.create(customer=customer, period=date(2020, 1, 1), revenue=9000, profit=900)
    now = date(2026, 11, 28)
    from django.utils import timezone

    moment = timezone.make_aware(timezone.datetime(now.year, now.month, now.day, 12))
    assert services.customer_lifetime_value(customer, now=moment) == Decimal("925.00")
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "LTV_YEARLY_CHURN": 0.05, "LTV_YEARLY_COST": 20}
    assert services.customer_lifetime_value(customer, now=moment) == Decimal("1525.00")
