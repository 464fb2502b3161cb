"""The exceptions that carry a message for the user: bad input, and a report that failed."""

__all__ = ["DataError", "ReportError", "NotebookFailed"]


class DataError(Exception):
    """Bad input the user can fix.

    The message is one paragraph naming the file, the row or column, and what would be
    accepted. The command line prints it without a traceback and exits with status 2.
    """

    exit_status = 2


class ReportError(Exception):
    """A notebook failed; the message names the report, the cell and the error."""

    exit_status = 1


class NotebookFailed(Exception):
    """A cell of a notebook raised (carries ``cell N: Error: message``)."""
