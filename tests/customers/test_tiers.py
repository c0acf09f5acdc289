import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from customers import services, tiers
from customers.models import Customer, TierChange, ValueFigure
from customers.tasks import recompute_tiers as recompute_task

# --- Pure ranking arithmetic -------------------------------------------------------------


def test_thousand_customers_make_the_pyramid_exactly():
    values = {n: Decimal(n + 1) for n in range(1000)}
    assigned = tiers.assign_tiers(values)
    assert Counter(assigned.values()) == {"A": 10, "B": 40, "C": 150, "D": 800}
    assert assigned[999] == "A" and assigned[990] == "A" and assigned[989] == "B"
    assert assigned[0] == "D"


def test_equal_values_share_the_better_tier():
    # 100 customers: cut-offs at ranks 1, 5, 20. Three tie for first place.
    values = {n: Decimal(n) for n in range(1, 98)} | {"x": Decimal(500), "y": Decimal(500), "z": Decimal(500)}
    assigned = tiers.assign_tiers(values)
    assert [assigned[k] for k in ("x", "y", "z")] == ["A", "A", "A"]
    # Ranks 4 and 5 are B; a tie straddling the B/C boundary lifts both into B.
    values = {n: Decimal(1000 - n) for n in range(100)}
    values[5] = values[4]
    assigned = tiers.assign_tiers(values)
    assert assigned[4] == assigned[5] == "B"
    assert assigned[6] == "C"


def test_competition_ranks_match_sql_rank():
    assert tiers.competition_ranks({"a": 5, "b": 7, "c": 5, "d": None, "e": 1}) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "e": 4,
        "d": 5,
    }


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (1, {"A": 1}),
        (3, {"A": 1, "D": 2}),
        (20, {"A": 1, "C": 3, "D": 16}),
        (50, {"A": 1, "B": 2, "C": 7, "D": 40}),
        (99, {"A": 1, "B": 4, "C": 15, "D": 79}),
        (100, {"A": 1, "B": 4, "C": 15, "D": 80}),
        (101, {"A": 2, "B": 4, "C": 15, "D": 80}),
    ],
)
def test_small_customer_counts_round_each_cut_off_up(total, expected):
    assigned = tiers.assign_tiers({n: Decimal(total - n) for n in range(total)})
    assert Counter(assigned.values()) == expected


def test_customers_without_figures_or_value_are_d():
    assigned = tiers.assign_tiers(
        {"none": None, "zero": Decimal(0), "loss": Decimal(-5), "buyer": Decimal(1)}
    )
    assert assigned == {"none": "D", "zero": "D", "loss": "D", "buyer": "A"}
    assert tiers.assign_tiers({}) == {}


# --- Lifetime value ----------------------------------------------------------------------


def test_lifetime_value_worked_example():
    assert tiers.expected_years(0.10) == 10
    assert tiers.lifetime_value(yearly_profit=100, yearly_churn=0.10, acquisition_cost=75) == Decimal(
        "925.00"
    )
    # A retention programme costing 20 a year that halves churn.
    assert tiers.lifetime_value(
        yearly_profit=100, yearly_churn=0.05, acquisition_cost=75, yearly_cost=20
    ) == Decimal("1525.00")


@pytest.mark.parametrize("churn", [0, -0.1, 1.5])
def test_lifetime_value_refuses_impossible_churn(churn):
    with pytest.raises(ValueError):
        tiers.lifetime_value(yearly_profit=100, yearly_churn=churn)


# --- Recompute in the database -----------------------------------------------------------

NOW = timezone.make_aware(timezone.datetime(2026, 11, 28, 12, 0))


def _customers_with_revenue(amounts, period=date(2026, 10, 1)):
    customers = Customer.objects.bulk_create(
        [Customer(name=f"C{n}", email=f"c{n}@example.com") for n in range(len(amounts))]
    )
    ValueFigure.objects.bulk_create(
        [
            ValueFigure(customer=c, period=period, revenue=amount, profit=amount / 10)
            for c, amount in zip(customers, amounts, strict=True)
            if amount is not None
        ]
    )
    return customers


@pytest.mark.django_db
def test_recompute_thousand_customers_in_the_database(django_assert_max_num_queries):
    amounts = [Decimal(n + 1) for n in range(1000)]
    random.Random(6).shuffle(amounts)
    customers = _customers_with_revenue(amounts)
    # One ranking SELECT, bulk UPDATE (2 batches of 500) and history INSERT (2), savepoints.
    with django_assert_max_num_queries(10):
        changed = services.recompute_tiers(now=NOW)
    assert len(changed) == 200  # every non-D customer moved from the default D
    counts = Counter(Customer.objects.values_list("tier", flat=True))
    assert counts == {"A": 10, "B": 40, "C": 150, "D": 800}
    # The database ranking agrees with the pure one.
    expected = tiers.assign_tiers({c.pk: a for c, a in zip(customers, amounts, strict=True)})
    assert dict(Customer.objects.values_list("pk", "tier")) == expected
    assert TierChange.objects.filter(source=TierChange.Source.RANKING).count() == 200


@pytest.mark.django_db
def test_recompute_uses_the_trailing_period_and_the_measure(settings):
    old, recent = _customers_with_revenue([Decimal(1000), Decimal(10)])
    ValueFigure.objects.filter(customer=old).update(period=date(2024, 1, 1))  # outside 365 days
    services.recompute_tiers(now=NOW)
    assert Customer.objects.get(pk=recent.pk).tier == "A"
    assert Customer.objects.get(pk=old.pk).tier == "D"
    # By profit instead of revenue: give the old customer a big recent profit.
    ValueFigure.objects.create(customer=old, period=date(2026, 9, 1), revenue=1, profit=5000)
    services.recompute_tiers(now=NOW, measure="profit")
    assert Customer.objects.get(pk=old.pk).tier == "A"
    assert Customer.objects.get(pk=recent.pk).tier == "D"
    with pytest.raises(ValueError):
        services.recompute_tiers(now=NOW, measure="smiles")


@pytest.mark.django_db
def test_ties_in_the_database_share_the_better_tier():
    customers = _customers_with_revenue([Decimal(50), Decimal(50), *[Decimal(1)] * 8, None])
    services.recompute_tiers(now=NOW)
    tiers_now = dict(Customer.objects.values_list("pk", "tier"))
    # 11 customers: A up to rank ceil(0.11)=1; both tied at rank 1 are A.
    assert tiers_now[customers[0].pk] == tiers_now[customers[1].pk] == "A"
    # Eight tied at rank 3: C ends at ceil(2.2)=3, so all eight share C.
    assert {tiers_now[c.pk] for c in customers[2:10]} == {"C"}
    assert tiers_now[customers[10].pk] == "D"  # no figures


@pytest.mark.django_db
def test_nightly_task_is_idempotent(django_assert_max_num_queries):
    _customers_with_revenue([Decimal(n) for n in range(1, 301)])
    recompute_task()
    first = dict(Customer.objects.values_list("pk", "tier"))
    history = TierChange.objects.count()
    with django_assert_max_num_queries(6):
        assert recompute_task() == {"changed": 0}
    assert dict(Customer.objects.values_list("pk", "tier")) == first
    assert TierChange.objects.count() == history


@pytest.mark.django_db
def test_tiers_changed_hook_gets_the_customers_that_moved(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "tiers_changed", lambda ids, now=None: calls.append(sorted(ids)))
    a, _b = _customers_with_revenue([Decimal(10), None])
    services.recompute_tiers(now=NOW)
    assert calls == [[a.pk]]
    services.recompute_tiers(now=NOW)
    assert calls[-1] == []


@pytest.mark.django_db
def test_override_wins_over_ranking_and_is_kept_in_history(supervisor_user, staff_user):
    _top, small = _customers_with_revenue([Decimal(900), Decimal(1)])
    services.recompute_tiers(now=NOW)
    small.refresh_from_db()
    assert small.tier == "D"
    with pytest.raises(PermissionDenied):
        services.customer_set_tier(customer=small, tier="A", reason="Key account", by=staff_user)
    with pytest.raises(ValidationError):
        services.customer_set_tier(customer=small, tier="A", reason="  ", by=supervisor_user)
    with pytest.raises(ValidationError):
        services.customer_set_tier(customer=small, tier="Z", reason="x", by=supervisor_user)
    small = services.customer_set_tier(customer=small, tier="A", reason="Key account", by=supervisor_user)
    assert (small.tier, small.computed_tier, small.tier_override) == ("A", "D", "A")
    services.recompute_tiers(now=NOW + timedelta(days=1))
    small.refresh_from_db()
    assert small.tier == "A"  # the nightly ranking keeps the hand setting
    small = services.customer_set_tier(customer=small, tier="", reason="Contract ended", by=supervisor_user)
    assert (small.tier, small.tier_override, small.tier_override_reason) == ("D", "", "")
    history = list(small.tier_changes.order_by("id").values_list("old_tier", "new_tier", "source", "reason"))
    assert history == [
        ("D", "A", "override", "Key account"),
        ("A", "D", "override_cleared", "Contract ended"),
    ]
    assert small.tier_changes.first().changed_by == supervisor_user


@pytest.mark.django_db
def test_without_any_figures_in_the_period_tiers_are_left_alone():
    customer = Customer.objects.create(name="Preset", email="p@example.com", tier="B", computed_tier="B")
    assert services.recompute_tiers(now=NOW) == []
    customer.refresh_from_db()
    assert customer.tier == "B"
    assert not TierChange.objects.exists()


def test_a_customer_becoming_vip_tightens_open_complaints_deadlines(supervisor_user, staff_user):
    import time_machine

    from complaints.models import Complaint
    from tests.factories import CustomerFactory, make_complaint

    customer = CustomerFactory()
    # Tuesday 10:00 in the desk's time zone: well inside working hours.
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        complaint = make_complaint(by=staff_user, customer=customer, severity="minor")
        before = Complaint.objects.get(pk=complaint.pk).resolve_by
        services.customer_set_tier(customer=customer, tier="A", reason="Key account", by=supervisor_user)
    after = Complaint.objects.get(pk=complaint.pk).resolve_by
    assert after < before
    assert (after - complaint.created_at) == (before - complaint.created_at) / 2
