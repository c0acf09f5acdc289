"""Which root causes "keep coming back": the one rule, pure (plain numbers in, codes out).

A cause keeps coming back when, over the report's five weeks (the week and the four
before it), it was the root cause of complaints closed in at least `min_weeks` of them
(RECURRING_MIN_WEEKS, setting CLEAR_DESK_REPORTS["RECURRING_WEEKS"]), including the week
itself, AND its share of all the complaints closed with a root cause in those five weeks
is above the median share of the causes seen in them. A cause that turns up now and then
with one complaint, as most causes do on a busy desk, is not a signal; one that returns
week after week and weighs more than the typical cause is.
"""

import statistics
from collections.abc import Mapping, Sequence

RECURRING_MIN_WEEKS = 3
"""Seen in at least this many of the five weeks (the default of RECURRING_WEEKS)."""


def recurring_causes(
    weeks_by_cause: Mapping[str, Sequence[int]], *, min_weeks: int = RECURRING_MIN_WEEKS
) -> set[str]:
    """The codes of the causes that keep coming back.

    `weeks_by_cause` maps a cause's code to its closings per week, oldest first, the week of
    the report last (the four weeks before it and the week itself).
    """
    totals = {code: sum(weeks) for code, weeks in weeks_by_cause.items() if sum(weeks)}
    everything = sum(totals.values())
    if not everything:
        return set()
    shares = {code: n / everything for code, n in totals.items()}
    median = statistics.median(shares.values())
    found = set()
    for code, weeks in weeks_by_cause.items():
        seen = sum(1 for n in weeks if n)
        # The week of the report must be one of them: a cause gone this week is not coming back.
        if seen >= min_weeks and weeks[-1] and shares[code] > median:
            found.add(code)
    return found
