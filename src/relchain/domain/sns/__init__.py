"""The relationship chain's sns part: friends, blocklists, friend lists and friend requests.

Pure decision tables: the store loads the state of the people involved, calls a planner and
applies its plan in the same transaction, so every rule lives here once, whatever the backend.
Modules: :mod:`.rules` (limits, tags, validation), :mod:`.plan` (what planners read and
return), :mod:`.friends`, :mod:`.requests`, :mod:`.blocklist`, :mod:`.lists`.
"""
