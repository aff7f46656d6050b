"""The one search-query builder (registry_kit.search), checked by PostgreSQL itself: whatever a caller types, the
tsquery it builds is accepted, and a document is found by the starts of its own words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry_kit.embedded_pg import asyncpg_dsn
from registry_kit.search import contains_pattern, prefix_query
from registry_testing import server_url


class Postgres:
    """A connection on its own event loop, so hypothesis can drive it from plain (synchronous) tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.conn = self.loop.run_until_complete(asyncpg.connect(asyncpg_dsn(server_url("postgres"))))

    def value(self, sql: str, *args: Any) -> Any:
        return self.loop.run_until_complete(self.conn.fetchval(sql, *args))

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


@pytest.fixture(scope="module")
def pg() -> Iterator[Postgres]:
    server = Postgres()
    yield server
    server.close()


ATTACKS = ["-", "%", "(", "'", "''", "\\", ":*", "&", "|", "!", "<->", "a:*b", "' OR 1=1 --", "a'b", "x²", "½", "a·b"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("q", ATTACKS)
def test_what_the_fuzzer_sent_builds_a_valid_query_or_none(pg: Postgres, q: str) -> None:
    query = prefix_query(q)
    if query is not None:
        pg.value("SELECT to_tsquery('simple', $1)::text", query)


def test_a_text_without_letters_or_digits_builds_no_query() -> None:
    assert [prefix_query(q) for q in ("-", "%", "(", "'", "  ", "", None)] == [None] * 7


@FUZZ
@given(q=st.text(max_size=200))
def test_any_text_builds_a_query_postgresql_accepts(pg: Postgres, q: str) -> None:
    query = prefix_query(q)
    if query is not None:
        pg.value("SELECT to_tsquery('simple', $1)::text", query)


WORDS = st.lists(st.text(st.characters(categories=("Ll", "Lu", "Nd")), min_size=1, max_size=12), min_size=1, max_size=5)


@FUZZ
@given(words=WORDS, cut=st.integers(min_value=1, max_value=12))
def test_a_document_is_found_by_the_start_of_each_of_its_words(pg: Postgres, words: list[str], cut: int) -> None:
    document = " ".join(words)
    query = prefix_query(" ".join(w[:cut] for w in words))
    assert query is not None
    found = pg.value("SELECT to_tsvector('simple', $1) @@ to_tsquery('simple', $2)", document, query)
    # PostgreSQL's parser may split a word where Python does not (`x²`); then the query asks for less, never more.
    assert found, (document, query)


@FUZZ
@given(needle=st.text(max_size=20), hay=st.text(max_size=20))
def test_a_contains_pattern_finds_its_text_wherever_it_is(pg: Postgres, needle: str, hay: str) -> None:
    needle, hay = needle.replace("\x00", ""), hay.replace("\x00", "")
    assert pg.value("SELECT lower($1) LIKE $2", hay + needle + hay, contains_pattern(needle))


@pytest.mark.parametrize(
    ("needle", "hay"), [("%", "asylum"), ("_", "asylum"), ("a_c", "abc"), ("\\", "a"), ("a%", "ab")]
)
def test_wildcards_in_a_contains_pattern_are_taken_literally(pg: Postgres, needle: str, hay: str) -> None:
    assert not pg.value("SELECT lower($1) LIKE $2", hay, contains_pattern(needle))
