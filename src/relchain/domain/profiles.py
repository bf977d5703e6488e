"""Profile tags (``Tag_Profile_IM_*`` and registered ``Tag_Profile_Custom_*``) and their rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from relchain.domain.errors import ApiError, Code

__all__ = [
    "ALLOW_ANY",
    "ALLOW_TYPE",
    "CUSTOM_PREFIX",
    "DENY_ANY",
    "NEED_CONFIRM",
    "STANDARD_TAGS",
    "TagSpec",
    "check_tag_known",
    "default_value",
    "validate_profile_item",
]

CUSTOM_PREFIX = "Tag_Profile_Custom_"
MAX_STRING_BYTES = 500
UINT32_MAX = 2**32 - 1

ALLOW_TYPE = "Tag_Profile_IM_AllowType"
NEED_CONFIRM = "AllowType_Type_NeedConfirm"
ALLOW_ANY = "AllowType_Type_AllowAny"
DENY_ANY = "AllowType_Type_DenyAny"


@dataclass(frozen=True, slots=True)
class TagSpec:
    """How one standard tag is typed: ``kind`` is ``string``, ``uint32`` or ``enum``."""

    kind: str
    max_bytes: int = MAX_STRING_BYTES
    choices: tuple[str, ...] = ()

    @property
    def default(self) -> str | int:
        if self.kind == "uint32":
            return 0
        return self.choices[0] if self.choices else ""


STANDARD_TAGS: dict[str, TagSpec] = {
    "Tag_Profile_IM_Nick": TagSpec("string"),
    "Tag_Profile_IM_Gender": TagSpec(
        "enum", choices=("Gender_Type_Unknown", "Gender_Type_Female", "Gender_Type_Male")
    ),
    "Tag_Profile_IM_BirthDay": TagSpec("uint32"),
    "Tag_Profile_IM_Location": TagSpec("string", max_bytes=16),
    "Tag_Profile_IM_SelfSignature": TagSpec("string"),
    ALLOW_TYPE: TagSpec("enum", choices=(NEED_CONFIRM, ALLOW_ANY, DENY_ANY)),
    "Tag_Profile_IM_Language": TagSpec("uint32"),
    "Tag_Profile_IM_Image": TagSpec("string"),
    "Tag_Profile_IM_MsgSettings": TagSpec("uint32"),
    "Tag_Profile_IM_AdminForbidType": TagSpec(
        "enum", choices=("AdminForbid_Type_None", "AdminForbid_Type_SendOut")
    ),
    "Tag_Profile_IM_Level": TagSpec("uint32"),
    "Tag_Profile_IM_Role": TagSpec("uint32"),
}


def default_value(tag: str) -> str | int | None:
    """The value a standard tag reads as when the user never set it (None for custom tags)."""
    spec = STANDARD_TAGS.get(tag)
    return spec.default if spec else None


def check_tag_known(tag: str, custom_tags: tuple[str, ...], where: str) -> None:
    """Raise 40009 unless ``tag`` is a standard tag or a registered custom tag."""
    if tag in STANDARD_TAGS or tag in custom_tags:
        return
    if tag.startswith(CUSTOM_PREFIX):
        raise ApiError(
            Code.PROFILE_TAG_NOT_FOUND,
            f"{where}: custom tag {tag!r} is not registered for this app "
            f"(relchain app tag add SDKAPPID {tag})",
        )
    raise ApiError(Code.PROFILE_TAG_NOT_FOUND, f"{where}: unknown profile tag {tag!r}")


def validate_profile_item(
    tag: object, value: object, custom_tags: tuple[str, ...], where: str
) -> tuple[str, Any]:
    """Check one ``{"Tag": ..., "Value": ...}`` of portrait_set; returns the pair to store."""
    if not isinstance(tag, str):
        raise ApiError(Code.PROFILE_BAD_PARAM, f"{where}.Tag: must be a string")
    check_tag_known(tag, custom_tags, f"{where}.Tag")
    spec = STANDARD_TAGS.get(tag)
    if spec is None:  # registered custom tag: string <= 500 bytes or uint32
        if isinstance(value, str):
            _check_length(value, MAX_STRING_BYTES, tag, where)
            return tag, value
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value <= UINT32_MAX:
                raise ApiError(
                    Code.PROFILE_BAD_VALUE, f"{where}.Value: {tag} must be 0..{UINT32_MAX}"
                )
            return tag, value
        raise ApiError(
            Code.PROFILE_BAD_VALUE_TYPE, f"{where}.Value: {tag} must be a string or an integer"
        )
    if spec.kind == "uint32":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiError(Code.PROFILE_BAD_VALUE_TYPE, f"{where}.Value: {tag} must be an integer")
        if not 0 <= value <= UINT32_MAX:
            raise ApiError(Code.PROFILE_BAD_VALUE, f"{where}.Value: {tag} must be 0..{UINT32_MAX}")
        return tag, value
    if not isinstance(value, str):
        raise ApiError(Code.PROFILE_BAD_VALUE_TYPE, f"{where}.Value: {tag} must be a string")
    if spec.kind == "enum":
        if value not in spec.choices:
            raise ApiError(
                Code.PROFILE_BAD_VALUE,
                f"{where}.Value: {tag} must be one of {', '.join(spec.choices)}, got {value!r}",
            )
        return tag, value
    _check_length(value, spec.max_bytes, tag, where)
    return tag, value


def _check_length(value: str, limit: int, tag: str, where: str) -> None:
    size = len(value.encode("utf-8"))
    if size > limit:
        raise ApiError(
            Code.PROFILE_VALUE_TOO_LONG,
            f"{where}.Value: {tag} is at most {limit} bytes, got {size}",
        )
