"""Errors a person can act on.

Every error here carries a sentence that says what went wrong and what to do;
the command line prints it as one line and the window shows it in a message,
never as a traceback.

An error raised with a `Text` carries both languages (`error.message_text`); one
raised with a plain English string (the old style, still everywhere in the
store) shows that string in both, until it is converted.

`detail` is raw technical detail (what the OS, the spooler or an HTTP server
said, an exception's name): English or nobody's language, so it is never a
parameter of the Japanese sentence. A window shows it, if at all, on a separate
"details" line after the sentence (station/ui/error_text.py); the English
sentence may name it, as the log's language.
"""

from __future__ import annotations

from station.core.texts import Text


class StationError(Exception):
    """Something the user can fix; the message says how."""

    def __init__(self, message: str | Text = "", *args: object, detail: str = "") -> None:
        self.message_text = message if isinstance(message, Text) else Text.same(str(message))
        self.detail = detail
        super().__init__(str(message), *args)


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
