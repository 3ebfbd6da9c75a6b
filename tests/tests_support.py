"""Shared builders for the tests: a valid Swiss PBX request for Schmiedeisen AG (seed 002)."""

from portflow.testing.samples import SCHMIEDEISEN, swiss_request

__all__ = ["SCHMIEDEISEN", "swiss_request"]
