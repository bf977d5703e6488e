"""The user gateway: Tencent's own Web SDK (``@tencentcloud/chat`` with ``proxyServer``) logs in
and calls the relationship chain over its WebSocket protocol (docs/websdk.md)."""

from relchain.http.gateway._server import GATEWAY_PATHS, Gateway

__all__ = ["GATEWAY_PATHS", "Gateway"]
