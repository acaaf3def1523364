"""Errors a person can act on.

Every error here carries a sentence that says what went wrong and what to do;
the command line prints it as one line and the window shows it in a message,
never as a traceback.
"""


class StationError(Exception):
    """Something the user can fix; the message says how."""


class NotAnEventPackage(StationError):
    pass


class DatabaseLocked(StationError):
    pass


class MigrationError(StationError):
    pass


class RosterFileError(StationError):
    """The export cannot be read at all (missing, wrong encoding, no header)."""


class SettingsError(StationError):
    pass
