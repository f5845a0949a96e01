"""Resilience tests: fuzzed workbooks, interrupted writes, concurrent runs (issue 7)."""
