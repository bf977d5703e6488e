"""Account rules: what a UserID may be."""

from __future__ import annotations

__all__ = ["MAX_USERID_BYTES", "userid_problem"]

MAX_USERID_BYTES = 32


def userid_problem(value: object) -> str | None:
    """Why ``value`` is not a valid UserID, or ``None`` when it is.

    A UserID is a string of 1..32 bytes of printable ASCII (0x20..0x7e), as the client SDKs
    enforce (error 7003) and the account import docs state.
    """
    if not isinstance(value, str):
        return f"must be a string, got {type_name(value)}"
    if not value:
        return "must not be empty"
    if len(value) > MAX_USERID_BYTES or not value.isascii():
        if not value.isascii():
            return "must be printable ASCII"
        return f"at most {MAX_USERID_BYTES} bytes, got {len(value)}"
    if not value.isprintable():
        return "must be printable ASCII"
    return None


def type_name(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
