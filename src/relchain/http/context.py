"""Everything a request handler may use: config, store, clock, limiter, metrics and the
services."""

from __future__ import annotations

from dataclasses import dataclass, field

from relchain.config import Config
from relchain.http.logs import AccessLog
from relchain.http.metrics import Metrics
from relchain.ports import Clock, Store
from relchain.ratelimit import RateLimiter
from relchain.services.accounts import AccountService
from relchain.services.apps import AppService
from relchain.services.blocklist import BlocklistService
from relchain.services.events import EventLog
from relchain.services.follows import FollowService
from relchain.services.friends import FriendService
from relchain.services.lists import ListService
from relchain.services.profiles import ProfileService
from relchain.services.requests import RequestService

__all__ = ["ServerContext"]


@dataclass
class ServerContext:
    config: Config
    store: Store
    clock: Clock
    limiter: RateLimiter
    metrics: Metrics | None = None
    access: AccessLog | None = None
    apps: AppService = field(init=False)
    accounts: AccountService = field(init=False)
    profiles: ProfileService = field(init=False)
    follows: FollowService = field(init=False)
    friends: FriendService = field(init=False)
    blocklist: BlocklistService = field(init=False)
    lists: ListService = field(init=False)
    requests: RequestService = field(init=False)
    events: EventLog = field(init=False)

    def __post_init__(self) -> None:
        self.apps = AppService(self.store, self.clock)
        self.accounts = AccountService(self.store, self.clock)
        self.profiles = ProfileService(self.store, self.clock)
        self.follows = FollowService(self.store, self.clock)
        self.friends = FriendService(self.store, self.clock)
        self.blocklist = BlocklistService(self.store, self.clock)
        self.lists = ListService(self.store, self.clock)
        self.requests = RequestService(self.store, self.clock)
        self.events = EventLog(self.store, self.clock)
