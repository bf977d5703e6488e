"""Statements with their parameters written in as literals, to send several in one message.

A write transaction's last statements are run for their effect only (the write, the events);
sent with ``COMMIT`` in one simple-query message they cost one round trip instead of one each
plus one for ``COMMIT``. The simple-query protocol takes no parameters, so their values are
written into the text: integers and booleans as themselves, ``NULL``, text dollar-quoted with a
tag the text does not contain (PostgreSQL takes everything between the tags as it is: no
escaping to get wrong), lists as ``ARRAY[...]`` (the statements cast every list parameter,
``$3::text[]``, so an empty list can be the untyped ``'{}'``).

Only statements of this package's tables are inlined, whose texts use ``$N`` for parameters
and nowhere else. A value of any other type makes :func:`inline` give up (``None``): the
statement is then sent as usual, with its parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["inline", "literal"]

PARAMETER = re.compile(r"\$(\d+)")


class _NoLiteral(Exception):
    pass


def _quoted(text: str) -> str:
    """``text`` between two tags, the first closing tag being the last (not in ``text``, nor
    made of its end and the tag's beginning)."""
    tag = "$q$"
    n = 0
    while (text + tag).find(tag) != len(text):
        n += 1
        tag = f"$q{n}$"
    return f"{tag}{text}{tag}"


def literal(value: object) -> str:
    """``value`` as an SQL literal; :class:`_NoLiteral` for a type without one here."""
    if value is None:
        return "NULL"
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if type(value) is int:
        return str(value) if value >= 0 else f"({value})"
    if type(value) is str:
        if "\x00" in value:  # the simple-query message is NUL-terminated: never cut it short
            raise _NoLiteral("text with NUL")
        return _quoted(value)
    if isinstance(value, list | tuple):
        if not value:
            return "'{}'"
        return "ARRAY[" + ",".join(literal(v) for v in value) + "]"
    raise _NoLiteral(type(value).__name__)


def inline(sql: str, params: Sequence[object]) -> str | None:
    """``sql`` with ``$1``, ``$2`` ... replaced by the literals of ``params`` (``None`` when a
    value has no literal here)."""
    try:
        return PARAMETER.sub(lambda m: literal(params[int(m.group(1)) - 1]), sql)
    except _NoLiteral:
        return None
