"""Walk a complaint through CLEAR with the services, as staff would."""

from tests.factories import CLEAR_STEPS as STEPS
from tests.factories import walk


def close_complaint(complaint, by, **close_overrides):
    return walk(complaint, by, "closed", **close_overrides)


__all__ = ["STEPS", "close_complaint"]
