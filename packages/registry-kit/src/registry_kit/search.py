"""Word-prefix full-text matching on a tsvector column (served by its GIN index).

The one place a search text becomes a tsquery. Whatever a caller types, the query built here is valid tsquery syntax:
only runs of letters and digits survive, each is written as a quoted lexeme with a prefix mark, and a text without
any (`-`, `%`, `(`, `'`, spaces) builds no query at all, which callers treat as no search term.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column

# Longest word kept (longer ones are cut: the prefix still matches); PostgreSQL refuses lexemes over 2 KB.
MAX_WORD = 100
MAX_WORDS = 32
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; everything else separates words


def prefix_query(q: str | None) -> str | None:
    """The tsquery text for `q`: every word must start a word of the document ("asyl bih" finds "asylum … BiH");
    None when `q` has no letter or digit."""
    if not q:
        return None
    # As typed: PostgreSQL lower-cases each lexeme as it does the documents' words (Python's lower() differs, 'İ').
    words = list(dict.fromkeys(w[:MAX_WORD] for w in _WORD.findall(q)))[:MAX_WORDS]
    if not words:
        return None
    # Quoted: PostgreSQL reads a quoted lexeme whole (its own parser may still split it, e.g. `x²`), so no character
    # that survived the filter can be taken for an operator. Letters and digits hold no quote or backslash to escape.
    return " & ".join(f"'{w}':*" for w in words)


def matches(vector_column: str, query: Any) -> ColumnElement[bool]:
    """`vector_column` matches a tsquery text (a value from `prefix_query`, or a bind parameter holding one)."""
    # The configuration is written as SQL, not bound, so the planner matches it to the indexed expression.
    return literal_column(vector_column).op("@@")(func.to_tsquery(literal_column("'simple'"), query))


def prefix_match(vector_column: str, q: str | None) -> ColumnElement[bool] | None:
    """The search clause for `q`, or None when `q` holds nothing to search for (no filter)."""
    query = prefix_query(q)
    return None if query is None else matches(vector_column, query)


def contains_pattern(q: str) -> str:
    """A LIKE pattern matching `q` anywhere in a lower-cased text, with `%`, `_` and `\\` in `q` taken literally
    (PostgreSQL's default LIKE escape is the backslash)."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
