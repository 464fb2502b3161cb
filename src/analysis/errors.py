"""The one exception type that carries a user-facing message about bad input."""


class DataError(Exception):
    """Bad input the user can fix.

    The message is one paragraph naming the file, the row or column, and what would be
    accepted. The command line prints it without a traceback and exits with status 2.
    """

    exit_status = 2
