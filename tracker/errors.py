"""The project's own exception types; the CLI turns each into one line `Error: …` and exit 1."""


class TrackerError(Exception):
    """Base class: a problem with the user's input or data, reported without a traceback."""


class ArticleError(TrackerError):
    """An article cannot be parsed or has nothing to extract."""


class NotFoundError(TrackerError):
    """A claim id, file or database that does not exist."""


class InputError(TrackerError):
    """A bad command-line value: a date, status, URL or format."""
