"""Storage failures with a message a person in the office can act on (Bahasa Indonesia)."""


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; `message` says why and what to do."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class NewerDatabaseError(DatabaseError):
    pass


class CorruptDatabaseError(DatabaseError):
    pass
