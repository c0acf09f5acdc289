"""What the customers app tells the rest of the desk."""

from django.dispatch import Signal

# Sent inside the transaction that changed tiers (the nightly ranking or a hand setting),
# with customer_ids and now. complaints.deadlines reschedules their open complaints.
tiers_changed = Signal()

# Sent inside the transaction that set or cleared a customer's vulnerability flag, with
# customer_ids and now: their open complaints get the service levels that now apply.
vulnerability_changed = Signal()
