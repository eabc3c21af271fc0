"""The one error type a user may see: its message is Chinese and says what to do."""


class ReportError(Exception):
    """A file or text that cannot be turned into a report.

    ``str(err)`` is a complete Chinese sentence fit to show a user (what is wrong, what to do).
    """

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file

    def __str__(self) -> str:
        return self.message
