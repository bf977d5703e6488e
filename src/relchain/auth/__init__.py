"""UserSig (TLS Sig API v2): generation and verification, sans I/O (the time is passed in)."""

from relchain.auth.usersig import SigError, VerifiedSig, generate_usersig, verify_usersig

__all__ = ["SigError", "VerifiedSig", "generate_usersig", "verify_usersig"]
