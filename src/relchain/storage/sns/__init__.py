"""The sns use cases (friends, blocklists, friend lists, requests, account purge), written once
over the :class:`relchain.storage.db.Db` primitives; see :mod:`._base` for the locking rules."""
