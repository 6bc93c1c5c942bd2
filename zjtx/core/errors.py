"""One error vocabulary for the domain: services raise these, views and the API render them."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refusal the user can act on. `message` is Chinese and names the field when there is one."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class PermissionDeniedError(ApplicationError):
    code = "forbidden"
    status = 403


class NotFoundError(ApplicationError):
    code = "not_found"
    status = 404
