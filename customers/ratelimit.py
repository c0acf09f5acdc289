"""A fixed-window rate limit kept in the database, so it holds when Redis is down."""

import ipaddress

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import RateLimitCounter


def client_ip(request):
    """The client's address: the hop a trusted proxy appended, else REMOTE_ADDR; None if neither is one.

    django-axes reads it too (AXES_CLIENT_IP_CALLABLE) and stores it in an inet column, so a
    hop that is not an address (a request that bypassed the proxy) falls back to REMOTE_ADDR
    rather than reaching the database.
    """
    candidates = []
    proxies = settings.CLEAR_DESK["TRUSTED_PROXY_COUNT"]
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            candidates.append(hops[-proxies])
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


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


def _window_start(now, window):
    epoch = int(now.timestamp())
    return now.fromtimestamp(epoch - epoch % window, tz=now.tzinfo)


def exceeded(key, *, limit, window, now):
    """Has `key` already used up its hits in the current window? (Reads; counts nothing.)"""
    hits = (
        RateLimitCounter.objects.filter(key=key[:200], window_start=_window_start(now, window))
        .values_list("hits", flat=True)
        .first()
    )
    return (hits or 0) >= limit


class LookupGuard:
    """Private links are unguessable; this makes guessing them slow too.

    Every lookup of an unknown token counts against the client's address; once it has
    missed PUBLIC_LOOKUP_MISS_LIMIT times in the window, every lookup answers 429 until
    the window ends. Kept in the database, so it holds without Redis.
    """

    def __init__(self, request, now):
        desk = settings.CLEAR_DESK
        self.key = f"lookup-miss:{client_ip(request)}"
        self.limit = desk["PUBLIC_LOOKUP_MISS_LIMIT"]
        self.window = desk["PUBLIC_LOOKUP_WINDOW"]
        self.now = now

    def blocked(self):
        return exceeded(self.key, limit=self.limit, window=self.window, now=self.now)

    def miss(self):
        hit(self.key, limit=self.limit, window=self.window, now=self.now)
