"""Use cases: validate, run one transaction on the store, report what happened."""
