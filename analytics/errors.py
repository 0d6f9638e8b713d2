"""User-facing errors: anything raised as a :class:`YanpanError` is a user's mistake or an
environment problem that the CLI and the pages report in one clear message, never as a
traceback."""

from __future__ import annotations


class YanpanError(Exception):
    """A problem the user can act on; ``str(e)`` is the whole message."""

    exit_code = 1


class UsageError(YanpanError):
    """Bad arguments, a missing path, a database that cannot be read."""

    exit_code = 1


class StoreError(YanpanError):
    """The database folder is missing, locked, or not a Yanpan database."""

    exit_code = 1
