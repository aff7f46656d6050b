"""Word-prefix full-text matching on a tsvector column (served by its GIN index)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal_column


def prefix_match(vector_column: str, q: str) -> ColumnElement[bool]:
    """Every word of `q` must start a word of the document: "asyl bih" finds "asylum … BiH"."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in q.lower()).split() if w]
    query = " & ".join(f"{w}:*" for w in words) or "''"
    # The configuration is written as SQL, not bound, so the planner matches it to the indexed expression.
    return literal_column(vector_column).op("@@")(func.to_tsquery(literal_column("'simple'"), query))
