"""Fixtures of the verify tests: the moto server (one per session) and a deployed stack."""

from moto_stack import moto_url, stack

__all__ = ["moto_url", "stack"]
