"""The one rule of "similar" and of a cluster, with plain values (no database)."""

from datetime import UTC, datetime, timedelta

from complaints.systemic import similarity
from complaints.systemic.similarity import Item, clusters, fingerprint, same_product, trigrams

from .helpers import LEAKS, OTHER

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def item(n, text, *, customer=None, category=1, product=""):
    return Item(n, customer if customer is not None else n, category, product, text, T0 + timedelta(hours=n))


def test_trigrams_follow_pg_trgm_for_words():
    # pg_trgm: "cat" -> "  c", " ca", "cat", "at "
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert trigrams("CAT!") == trigrams("cat")


def test_chinese_is_cut_into_pairs_of_characters():
    assert trigrams("漏水") == {" 漏", "漏水", "水 "}


def test_the_same_problem_in_other_words_is_similar_and_another_problem_is_not():
    first = trigrams(LEAKS[0])
    for text in LEAKS[1:]:
        assert similarity.similarity(first, trigrams(text)) >= similarity.THRESHOLD, text
    assert similarity.similarity(first, trigrams(OTHER)) < similarity.THRESHOLD
    assert similarity.similarity(trigrams("春季更新后水壶漏水"), trigrams("春季更新以后我的水壶漏水")) >= 0.3


def test_five_similar_complaints_from_five_customers_are_one_cluster():
    items = [item(i, LEAKS[i]) for i in range(5)] + [item(9, OTHER)]
    found = clusters(items, min_customers=5)
    assert [[i.id for i in c] for c in found] == [[0, 1, 2, 3, 4]]


def test_five_complaints_from_one_customer_are_no_cluster():
    items = [item(i, LEAKS[i], customer=77) for i in range(5)]
    assert clusters(items, min_customers=5) == []
    # four customers, one of them twice: still four voices
    items = [item(i, LEAKS[i], customer=i % 4) for i in range(5)]
    assert clusters(items, min_customers=5) == []


def test_other_categories_and_other_products_do_not_count():
    items = [item(i, LEAKS[i]) for i in range(4)] + [item(4, LEAKS[4], category=2)]
    assert clusters(items, min_customers=5) == []
    items = [item(i, LEAKS[i], product="Kettle X") for i in range(4)] + [item(4, LEAKS[4], product="Toaster")]
    assert clusters(items, min_customers=5) == []
    # a complaint that names no product yet is not held against the others
    items = [item(i, LEAKS[i], product=" kettle  x ") for i in range(4)] + [item(4, LEAKS[4])]
    assert len(clusters(items, min_customers=5)) == 1
    assert same_product("Kettle X", "KETTLE  x") and not same_product("Kettle X", "Kettle Y")


def test_the_same_complaints_always_give_the_same_cluster_and_fingerprint():
    items = [item(i, LEAKS[i]) for i in range(6)]
    one = clusters(items, min_customers=5)
    two = clusters(list(reversed(items)), min_customers=5)
    assert fingerprint(one[0]) == fingerprint(two[0])
    assert fingerprint(one[0]) != fingerprint(one[0][:5])
    assert similarity.title_of(one[0]) == LEAKS[0]
