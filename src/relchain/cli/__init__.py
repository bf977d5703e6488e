"""The ``relchain`` command line (spec section 3): serve, app, usersig, db, events, export,
import, check, repair, migrate.

``main`` is the group; each module adds its commands to it.
"""

from __future__ import annotations

import relchain.cli._apps
import relchain.cli._data
import relchain.cli._db
import relchain.cli._events
import relchain.cli._serve  # noqa: F401  (each registers its commands on main)
from relchain.cli._common import main

__all__ = ["main"]
