"""The pure core: value types, limits, rules and error codes. Standard library only, no I/O."""
