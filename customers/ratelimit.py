"""A fixed-window rate limit kept in the database, so it holds when Redis is down."""

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import RateLimitCounter


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the hop a trusted proxy appended."""
    proxies = settings.CLEAR_DESK["TRUSTED_PROXY_COUNT"]
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key, *, limit, window, now):
    """Count one hit for `key`; return True while the window's hits stay within `limit`."""
    epoch = int(now.timestamp())
    start = now.fromtimestamp(epoch - epoch % window, tz=now.tzinfo)
    with transaction.atomic():
        counter, _created = RateLimitCounter.objects.get_or_create(key=key[:200], window_start=start)
        # An UPDATE with F() counts concurrent hits correctly; read the result back.
        RateLimitCounter.objects.filter(pk=counter.pk).update(hits=F("hits") + 1)
        hits = RateLimitCounter.objects.values_list("hits", flat=True).get(pk=counter.pk)
    return hits <= limit


def purge(*, before):
    """Forget windows that ended before `before`."""
    return RateLimitCounter.objects.filter(window_start__lt=before).delete()[0]
