"""Word-prefix full-text matching on a tsvector column (served by its GIN index)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal_column


def prefix_query(q: str) -> str:
    """The tsquery text for `q`: every word must start a word of the document ("asyl bih" finds "asylum … BiH")."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in q.lower()).split() if w]
    # No word at all ("«}"): an empty query, which matches nothing (`''` is a tsquery syntax error, a 500).
    return " & ".join(f"{w}:*" for w in words)


def matches(vector_column: str, query: Any) -> ColumnElement[bool]:
    """`vector_column` matches a tsquery text (a value, or a bind parameter holding one)."""
    # The configuration is written as SQL, not bound, so the planner matches it to the indexed expression.
    return literal_column(vector_column).op("@@")(func.to_tsquery(literal_column("'simple'"), query))


def prefix_match(vector_column: str, q: str) -> ColumnElement[bool]:
    return matches(vector_column, prefix_query(q))
