"""Appending to a complaint's filed record: the one helper every writer uses."""

import datetime
import decimal

from django.db import models
from django.utils import timezone

from .models import ComplaintRecord


def _jsonable(value):
    if isinstance(value, models.Model):
        return getattr(value, "code", value.pk)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def file_record(complaint, kind, *, by, data, stage=None, now=None):
    """Append one entry; `stage` defaults to the complaint's current stage."""
    return ComplaintRecord.objects.create(
        complaint=complaint,
        kind=kind,
        stage=stage or complaint.stage,
        author=by if by is not None and by.is_authenticated else None,
        created_at=now or timezone.now(),
        data={key: _jsonable(value) for key, value in data.items()},
    )
