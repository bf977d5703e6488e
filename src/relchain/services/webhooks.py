"""What the webhook queue holds, per app (``relchain webhooks status``, the console, the admin
endpoint), and sending failed or dead deliveries again (``relchain webhooks retry``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relchain.domain.callbacks import AFTER_COMMANDS, DeliveryState, Failure
from relchain.services._base import ServiceBase

__all__ = ["WebhookService", "WebhookStatus"]

STATES = tuple(str(s) for s in DeliveryState)


@dataclass(frozen=True, slots=True)
class WebhookStatus:
    """Deliveries per command and state (every after-callback the app sends, and any other
    with deliveries kept), and the newest failed ones with the last answer."""

    sdkappid: int
    url: str
    commands: dict[str, dict[str, int]]
    failures: list[Failure] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sdkappid": self.sdkappid,
            "callback_url": self.url,
            "commands": self.commands,
            "failures": [
                {
                    "event_id": f.event_id,
                    "command": f.command,
                    "state": f.state,
                    "attempts": f.attempts,
                    "next_try_ms": f.next_ms,
                    "last_answer": f.last_answer,
                }
                for f in self.failures
            ],
        }


class WebhookService(ServiceBase):
    async def status(self, sdkappid: int, failures: int = 20) -> WebhookStatus:
        """``ValueError`` when there is no such app."""
        async with self.store.read() as tx:
            app = await tx.get_app(sdkappid)
            if app is None:
                raise ValueError(f"no app with sdkappid {sdkappid}")
            counts = await tx.delivery_counts(sdkappid)
            failed = await tx.delivery_failures(sdkappid, failures)
        wanted = [c for c in map(str, AFTER_COMMANDS) if app.settings.callback_enabled(c)]
        commands = {
            command: {state: counts.get(command, {}).get(state, 0) for state in STATES}
            for command in [*wanted, *sorted(set(counts) - set(wanted))]
        }
        return WebhookStatus(sdkappid, app.settings.callback_url, commands, failed)

    async def retry(self, sdkappid: int, *, dead: bool = False) -> int:
        """Send the app's failed deliveries now (not waiting for their backoff), and with
        ``dead`` the dead ones too, with a new retry window; returns how many."""
        now_ms = int(self.clock.now() * 1000)
        async with self.store.write() as tx:
            if await tx.get_app(sdkappid) is None:
                raise ValueError(f"no app with sdkappid {sdkappid}")
            return await tx.retry_deliveries(sdkappid, now_ms, dead=dead)
