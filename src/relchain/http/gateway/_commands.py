"""Every ``servcmd`` the gateway answers, in one table.

Three kinds:

- **session**: login, logout, hello, heartbeat (handled by the connection itself);
- **rest**: a relationship or profile command answered by the REST API's own handler from
  :data:`relchain.http.routes.BY_PATH`, with ``From_Account`` forced to the logged-in user; an
  ``adapt`` function first turns the SDK's body into the REST body where the two differ;
- **static**: the messaging, group and telemetry commands the SDK sends at start-up, which
  relchain does not serve: a minimal successful answer so the SDK stays happy.

Any other ``servcmd`` is answered with 60009 and the connection stays up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relchain.domain.apps import App
from relchain.domain.errors import ApiError
from relchain.domain.profiles import STANDARD_TAGS as PROFILE_TAGS
from relchain.domain.sns.rules import ADMIN_FORBID_TAG, STANDARD_SNS_TAGS
from relchain.http.api import Api
from relchain.http.gateway._sns_user import USER_APIS
from relchain.http.routes import BY_PATH
from relchain.http.wire import Body

__all__ = ["COMMANDS", "SESSION_COMMANDS", "Command", "static_answer"]

LOGIN = "im_open_status.wslogin"
LOGOUT = "im_open_status.wslogout"
HELLO = "im_open_status.wshello"
HEARTBEAT = "heartbeat.alive"
TELEMETRY = "imopenstat.tim_web_report_v2"
SESSION_COMMANDS = frozenset({LOGIN, LOGOUT, HELLO, HEARTBEAT})

# every feature bit on: the SDK refuses its follow calls locally (3122) without the FOLLOW bit
PURCHASE_BITS = "1" * 64
ONE_DAY = 86_400

Adapter = Callable[[Body, App], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Command:
    api: Api
    adapt: Adapter | None = None
    guard: Callable[[Body], None] | None = None  # refuses what only an App admin may do


def _no_force(body: Body) -> None:
    """``ForceAddFlags: 1`` skips the target's AllowType: an App admin's power, not a user's."""
    if body.data.get("ForceAddFlags") not in (None, 0):
        raise ApiError(
            body.group.not_admin, "ForceAddFlags: only an App admin may force a friend add"
        )


def _no_admin_tags(body: Body) -> None:
    """A user may not lift (or set) the admin's send-out ban on themselves."""
    for index, item in enumerate(body.objects("ProfileItem", max_items=0, required=False)):
        if item.get("Tag") == ADMIN_FORBID_TAG:
            raise ApiError(
                body.group.not_admin,
                f"ProfileItem[{index}].Tag: {ADMIN_FORBID_TAG} is set by an App admin only",
            )


def _portrait_get_all(body: Body, app: App) -> dict[str, Any]:
    """``UserItem: [{To_Account, StandardSequence, CustomSequence}]`` -> portrait_get with every
    tag the app knows (standard and registered custom ones)."""
    accounts = [item.get("To_Account") for item in body.objects("UserItem", max_items=0)]
    return {
        "To_Account": accounts,
        "TagList": [*PROFILE_TAGS, *app.settings.custom_profile_tags],
    }


def _friend_get_specified(body: Body, app: App) -> dict[str, Any]:
    """``To_Account`` -> friend_get_list with every friend tag and profile tag."""
    tags = [
        *PROFILE_TAGS,
        *app.settings.custom_profile_tags,
        *STANDARD_SNS_TAGS,
        *app.settings.custom_sns_tags,
    ]
    return {
        "From_Account": body.get("From_Account"),
        "To_Account": body.get("To_Account"),
        "TagList": tags,
    }


def _black_list_get(body: Body, app: App) -> dict[str, Any]:
    """3.6.6 sends no ``LastSequence`` (REST requires it): 0, a full answer."""
    return {"LastSequence": 0, **body.data}


def _rest(
    path: str, adapt: Adapter | None = None, *, guard: Callable[[Body], None] | None = None
) -> Command:
    return Command(BY_PATH[path], adapt, guard)


COMMANDS: dict[str, Command] = {
    # follows
    "follow.follow_add": _rest("follow/follow_add"),
    "follow.follow_delete": _rest("follow/follow_delete"),
    "follow.follow_get": _rest("follow/follow_get"),
    "follow.follow_check": _rest("follow/follow_check"),
    "follow.follow_get_info": _rest("follow/follow_get_info"),
    # friends
    "sns.friend_add": _rest("sns/friend_add", guard=_no_force),
    "sns.friend_delete": _rest("sns/friend_delete"),
    "sns.friend_update": _rest("sns/friend_update"),
    "sns.friend_check": _rest("sns/friend_check"),
    "sns.friend_get": _rest("sns/friend_get"),
    "sns.friend_get_specified": _rest("sns/friend_get_list", _friend_get_specified),
    # blocklist
    "sns.black_list_get": _rest("sns/black_list_get", _black_list_get),
    "sns.black_list_add": _rest("sns/black_list_add"),
    "sns.black_list_delete": _rest("sns/black_list_delete"),
    # friend lists
    "sns.group_get": _rest("sns/group_get"),
    "sns.group_add": _rest("sns/group_add"),
    "sns.group_delete": _rest("sns/group_delete"),
    # profiles
    "profile.portrait_get_all": _rest("profile/portrait_get", _portrait_get_all),
    "profile.portrait_set": _rest("profile/portrait_set", guard=_no_admin_tags),
    # the SDK's own commands (no REST API of that name): friend requests
    **{f"sns.{api.path.split('/', 1)[1]}": Command(api) for api in USER_APIS},
}


def static_answer(servcmd: str, now: int) -> dict[str, Any] | None:
    """The minimal answer of a messaging, group or telemetry command, or None if unknown."""
    if servcmd == "openim.getmsg":  # SyncFlag 2 = sync finished (anything else: polled again)
        return {"SyncFlag": 2, "MsgList": [], "Cookie": "", "EventArray": []}
    if servcmd == "im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2":
        return {
            "int32_error_code": 0,
            "str_purchase_bits": PURCHASE_BITS,
            "uint32_expired_time": now + ONE_DAY,
        }
    if servcmd == "im_sdk_config_mgr.fetch_config":
        return {
            "int32_error_code": 0,
            "str_json_config": "",
            "uint32_expired_time": now + ONE_DAY,
            "uint64_version": 0,
        }
    if servcmd == "recentcontact.page_get":
        return {"CompleteFlag": 1, "ContactItem": [], "TimeStamp": 0, "StartIndex": 0}
    if servcmd in (
        "group_open_http_svc.get_joined_group_list",
        "million_group_open_http_svc.get_joined_group_list",
    ):
        return {"TotalCount": 0, "GroupIdList": []}
    if servcmd == "openim.get_c2c_peer_mute_notifications":
        return {"UpdateSeq": 0, "MuteNotificationsList": []}
    if servcmd in _EMPTY_ANSWERS:
        return {}
    return None


_EMPTY_ANSWERS = frozenset(
    {
        TELEMETRY,
        "recentcontact.get_contact_group",
        "openim.authkey",  # tim-js-sdk at start
        "openim.ws_msg_push_ack",
        "im_open_status.ws_stat_background",
        "im_open_status.ws_stat_foreground",
    }
)
