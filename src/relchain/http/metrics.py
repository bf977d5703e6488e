"""Prometheus metrics (``GET /metrics``), with prometheus-client.

One :class:`Metrics` per app. In one process the metrics live in the app's own registry (plus
the process collector: CPU, memory, open files). Under ``--workers N`` the server sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start, prometheus-client's multiprocess mode keeps
each worker's values in that directory, and whichever worker answers ``/metrics`` adds them all
up, so a scrape sees the whole server.

The API path pays one dict look-up and two increments per request: the labelled children are
made once per (command, code) and kept (see benchmarks/README.md for the measured cost). Gauges
(connections, database pool) are sampled once a second, and before a scrape.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import multiprocess as multiprocess_mode

from relchain.ports import Store

__all__ = ["CONTENT_TYPE", "LIVE", "LiveCounts", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series


class LiveCounts:
    """What the server side of this process counts for the gauges (the HTTP protocol updates
    it; the gateway adds its WebSocket connections under its own name)."""

    def __init__(self) -> None:
        self.connections: dict[str, int] = {"http": 0}


LIVE = LiveCounts()


def _multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Metrics:
    """The metrics of one app; :meth:`request` is called once per API request."""

    def __init__(self) -> None:
        self.multiprocess = _multiprocess()
        # under multiprocess the values go to files, not to a registry; a scrape collects them
        self.registry: CollectorRegistry | None = None
        if not self.multiprocess:
            self.registry = CollectorRegistry(auto_describe=True)
            ProcessCollector(registry=self.registry)
        common: dict[str, Any] = {"namespace": "relchain", "registry": self.registry}
        self.requests = Counter(
            "requests",
            "REST API requests by service, command and ErrorCode of the answer.",
            ["service", "command", "code"],
            **common,
        )
        self.latency = Histogram(
            "request_duration_seconds",
            "Time from the request head to the answer, by service and command.",
            ["service", "command"],
            buckets=LATENCY_BUCKETS,
            **common,
        )
        self.rate_limited = Counter(
            "rate_limited",
            "Requests refused by the per-app rate limit (60007), by service and command.",
            ["service", "command"],
            **common,
        )
        self.connections = Gauge(
            "connections",
            "Open client connections of the server, by protocol.",
            ["protocol"],
            multiprocess_mode="livesum",
            **common,
        )
        self.db_connections = Gauge(
            "db_connections",
            "Database connections of the server: open, and in use by a transaction.",
            ["state"],
            multiprocess_mode="livesum",
            **common,
        )
        self.group_commit = Histogram(
            "group_commit_units",
            "Write units (requests) sharing one COMMIT (SQLite group commit).",
            buckets=BATCH_BUCKETS,
            **common,
        )
        self.events_appended = Counter(
            "events_appended",
            "Events appended to the event log by committed writes of this server.",
            **common,
        )
        self.pushes = Counter(
            "gateway_pushes",
            "Push frames queued to Web SDK sockets (live changes, resyncs), and those not taken "
            "(dropped=1: the socket was closed or too slow).",
            ["dropped"],
            **common,
        )
        self._children: dict[tuple[str, int], tuple[Any, Any]] = {}
        self._store: Store | None = None

    def attach(self, store: Store) -> None:
        """Watch ``store``'s pool, group commits and the events its commits append."""
        self._store = store
        store.observe_commits(self.group_commit.observe)
        store.observe_events(self.events)

    def events(self, appended: dict[int, int]) -> None:
        """Count the events one commit appended (per app)."""
        self.events_appended.inc(sum(appended.values()))

    def request(self, path: str, code: int, seconds: float) -> None:
        """Count one answered request of ``service/command`` (``path``) in ``seconds``."""
        key = (path, code)
        children = self._children.get(key)
        if children is None:
            service, _, command = path.partition("/")
            children = (
                self.requests.labels(service, command, str(code)),
                self.latency.labels(service, command),
            )
            if len(self._children) < 10_000:  # paths are from the route table; codes few
                self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        if code == 60007:
            service, _, command = path.partition("/")
            self.rate_limited.labels(service, command).inc()

    def sample(self) -> None:
        """Set the gauges from what they watch."""
        for protocol, count in LIVE.connections.items():
            self.connections.labels(protocol).set(count)
        if self._store is not None:
            open_, in_use = self._store.pool_usage()
            self.db_connections.labels("open").set(open_)
            self.db_connections.labels("in_use").set(in_use)

    def render(self) -> bytes:
        """The Prometheus text of this server (every worker's, under multiprocess)."""
        self.sample()
        if self.registry is not None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess_mode.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def close(self) -> None:
        """At the end of a worker: drop its live gauges from the shared directory."""
        if self.multiprocess:
            multiprocess_mode.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
