"""A per-process copy of rarely changing rows, kept for a few seconds.

Intake reads service-level rules and categories on every request, while they change in
the admin a few times a year. Saving or deleting one clears this process's copy at once
(complaints.apps connects the signals); other processes read it again once `ttl` seconds
have passed.
"""

import time


class ProcessCopy:
    def __init__(self, load, ttl=60.0):
        self._load, self.ttl, self._copies = load, ttl, {}

    def get(self, key=None):
        """The copy for `key` (load(key) when absent or older than ttl; load() without a key)."""
        now = time.monotonic()
        found = self._copies.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = self._load() if key is None else self._load(key)
        self._copies[key] = (now + self.ttl, value)
        return value

    def forget(self, **_signal_kwargs):
        """Drop every copy (also a signal receiver)."""
        self._copies.clear()
