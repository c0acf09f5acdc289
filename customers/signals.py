"""What the customers app tells the rest of the desk."""

from django.dispatch import Signal

# Sent inside the transaction that changed tiers (the nightly ranking or a hand setting),
# with customer_ids and now. complaints.deadlines reschedules their open complaints.
tiers_changed = Signal()
