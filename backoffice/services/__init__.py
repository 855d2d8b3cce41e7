"""Writes of the back office: audit events, deletions of personal data, staff accounts, digests.

Each write has one function here, which the admin, the commands and the tests all call.
"""
