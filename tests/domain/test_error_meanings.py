"""relchain's error table: every code it sends has a meaning (the console and docs show it)."""

from __future__ import annotations

from relchain.domain.errors import MEANINGS, Code


def test_every_code_has_a_meaning() -> None:
    assert set(MEANINGS) == set(Code)
    assert all(text.endswith(".") and text[0].isupper() for text in MEANINGS.values())
