"""Service levels: when a complaint must be answered and resolved. Pure functions."""

from datetime import timedelta

# Minor: respond within 1 hour, resolve within 24 hours.
# Major: respond within 1 hour, resolve within 7 days.
SERVICE_LEVELS = {
    "minor": (timedelta(hours=1), timedelta(hours=24)),
    "major": (timedelta(hours=1), timedelta(days=7)),
}


def deadlines_for(severity, received_at):
    """Return (respond_by, resolve_by) for a complaint received at `received_at`."""
    respond_within, resolve_within = SERVICE_LEVELS[severity]
    return received_at + respond_within, received_at + resolve_within
