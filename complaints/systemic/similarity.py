"""When complaints are "similar", and how similar complaints gather into a cluster: the one
rule the systemic-issue suggestions read. Pure: plain values in, plain values out.

Two complaints are similar when they have the same category, the same product when both
name one (case and spacing aside; a complaint logged before Establish has none yet), and
content whose trigram similarity is at least the threshold (setting
SYSTEMIC_SIMILARITY, default 0.3, pg_trgm's own default).

Trigrams as PostgreSQL's pg_trgm makes them: the text is width- and case-folded, each word
(a run of letters and digits) is padded with two spaces before and one after, and its
three-character pieces form a set; the similarity of two texts is the share of their
pieces they have in common (shared / all). Chinese has no spaces between words, so a run of
wide characters is cut into two-character pieces instead (most Chinese words are two
characters long), with each character alone at the run's ends.

Why here and not pg_trgm's similarity() in SQL: the same rule runs on SQLite (the embedded
default) and PostgreSQL and is tested with plain strings, and the candidates are few (one
category's complaints of the last seven days), so comparing them in Python is cheap.

A cluster: the complaints of the window, oldest first; each complaint not yet in a cluster
gathers the later ones similar to it; when they come from at least `min_customers`
different customers they are one cluster (the same customer complaining five times is one
voice, not a pattern). The same complaints always give the same clusters.
"""

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

THRESHOLD = 0.3
MIN_CUSTOMERS = 5
WINDOW_DAYS = 7


@dataclass(frozen=True)
class Item:
    """What the rule needs of a complaint."""

    id: int
    customer_id: int
    category_id: int
    product: str
    content: str
    created_at: datetime


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def _runs(text: str) -> Iterable[tuple[str, bool]]:
    """Runs of letters and digits, each with whether it is wide (Chinese) text."""
    run: list[str] = []
    wide = False
    for ch in _fold(text):
        if ch.isalnum():
            if run and _wide(ch) != wide:
                yield "".join(run), wide
                run = []
            wide = _wide(ch)
            run.append(ch)
        elif run:
            yield "".join(run), wide
            run = []
    if run:
        yield "".join(run), wide


def trigrams(text: str) -> frozenset[str]:
    """The pieces a text is compared by (see the module's docstring)."""
    pieces: set[str] = set()
    for run, wide in _runs(text):
        if wide:
            padded = f" {run} "
            pieces.update(padded[i : i + 2] for i in range(len(padded) - 1))
        else:
            padded = f"  {run} "
            pieces.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(pieces)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared pieces over all pieces (0 when either text has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_product(a: str, b: str) -> bool:
    """The same product, or at least one complaint names none yet."""
    a, b = " ".join(_fold(a).split()), " ".join(_fold(b).split())
    return not a or not b or a == b


def clusters(
    items: Sequence[Item], *, min_customers: int = MIN_CUSTOMERS, threshold: float = THRESHOLD
) -> list[list[Item]]:
    """The clusters among `items` (see the module's docstring), each oldest first."""
    ordered = sorted(items, key=lambda i: (i.created_at, i.id))
    pieces = {item.id: trigrams(item.content) for item in ordered}
    taken: set[int] = set()
    found = []
    for n, seed in enumerate(ordered):
        if seed.id in taken:
            continue
        group = [seed]
        for other in ordered[n + 1 :]:
            if (
                other.id not in taken
                and other.category_id == seed.category_id
                and same_product(seed.product, other.product)
                and similarity(pieces[seed.id], pieces[other.id]) >= threshold
            ):
                group.append(other)
        if len({item.customer_id for item in group}) >= min_customers:
            found.append(group)
            taken.update(item.id for item in group)
    return found


def fingerprint(cluster: Sequence[Item]) -> str:
    """The same complaints give the same fingerprint (the suggestion's unique key)."""
    ids = ",".join(str(i) for i in sorted(item.id for item in cluster))
    return hashlib.sha256(f"{cluster[0].category_id}:{ids}".encode()).hexdigest()


def product_of(cluster: Sequence[Item]) -> str:
    """The product the cluster's complaints name (the first one that names any)."""
    return next((item.product.strip() for item in cluster if item.product.strip()), "")


def title_of(cluster: Sequence[Item], length: int = 80) -> str:
    """A first title for the issue: the oldest complaint's opening words, on one line."""
    text = " ".join((cluster[0].content or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
