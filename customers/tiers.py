"""Value tiers (the A/B/C/D pyramid) and lifetime value. Pure arithmetic, no Django.

Ranking rules
- Customers are ranked by their measure (revenue or profit) over the trailing period,
  highest first, with competition ranking: equal values share the better (smaller)
  rank, so a tie on a boundary lifts every tied customer into the better tier.
- The cut-offs are cumulative shares of ALL customers, rounded up:
  A = rank <= ceil(1% of n), B = rank <= ceil(5% of n), C = rank <= ceil(20% of n).
  With 1,000 customers that is exactly 10 A, 40 B, 150 C and 800 D (no ties).
  Rounding up means that any book with a customer who bought something has at least
  one A customer (3 customers: the best one is A, the others D; 50 customers:
  1 A, 2 B, 7 C, 40 D).
- A customer with no figures, or a measure of zero or less, is always D.
"""

import math
from decimal import Decimal

A, B, C, D = "A", "B", "C", "D"

# Cumulative share of the customer base that ends each tier.
SHARES = ((A, Decimal("0.01")), (B, Decimal("0.05")), (C, Decimal("0.20")))


def cutoffs(total):
    """Return the last rank of A, B and C for `total` customers: (a, b, c)."""
    return tuple(math.ceil(share * total) for _tier, share in SHARES)


def tier_for_rank(rank, total, value):
    """The tier of a customer with competition `rank` (1 = best) among `total` customers."""
    if value is None or value <= 0 or total <= 0:
        return D
    for (tier, _share), last_rank in zip(SHARES, cutoffs(total), strict=True):
        if rank <= last_rank:
            return tier
    return D


def competition_ranks(values):
    """Rank a mapping {key: value} highest first; equal values share the better rank.

    Missing values (None) rank after every number. Mirrors SQL's RANK() OVER (ORDER BY v DESC).
    """
    ordered = sorted(values.items(), key=lambda item: (item[1] is None, -(item[1] or 0)))
    ranks = {}
    previous = object()
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def assign_tiers(values):
    """Tier every customer of {key: measure or None}; returns {key: tier}."""
    total = len(values)
    ranks = competition_ranks(values)
    return {key: tier_for_rank(ranks[key], total, value) for key, value in values.items()}


def expected_years(yearly_churn):
    """A relationship lasts 1/churn years on average (10% churn -> 10 years)."""
    churn = Decimal(str(yearly_churn))
    if churn <= 0 or churn > 1:
        raise ValueError("yearly churn must be above 0 and at most 1")
    return 1 / churn


def lifetime_value(*, yearly_profit, yearly_churn, acquisition_cost=0, yearly_cost=0):
    """Profit over the expected relationship minus the cost to win and to keep the customer.

    lifetime value = years x (yearly profit - yearly cost to serve/retain) - acquisition cost
    """
    years = expected_years(yearly_churn)
    value = years * (Decimal(str(yearly_profit)) - Decimal(str(yearly_cost))) - Decimal(str(acquisition_cost))
    return value.quantize(Decimal("0.01"))
