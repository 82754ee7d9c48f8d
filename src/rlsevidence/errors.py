"""One error type for bad input, printed as one line naming file, row and column."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input data.

    ``str(error)`` is one line: ``FILE: row N, column 'C': message``. Rows are counted
    as data rows from 1 (the header line is not counted), so row N is line N+1 of a CSV.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(str(self))

    def located(self, *, file: str | None = None) -> InputError:
        """Return a copy with ``file`` filled in where it was unknown."""
        return InputError(self.message, file=self.file or file, row=self.row, column=self.column)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = f"{self.file or '<input>'}: " + (", ".join(where) + ": " if where else "")
        return prefix + self.message
