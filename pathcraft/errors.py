"""Errors that every layer (pages, API, CLI) turns into one clear message."""


class PathcraftError(Exception):
    """A problem the user can fix: shown as one line, never as a traceback."""


class InputError(PathcraftError):
    """Input that cannot be used (a broken file, a bad row, an unknown value)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        text = super().__str__()
        if self.problems:
            text += "\n" + "\n".join(f"  {p}" for p in self.problems)
        return text
