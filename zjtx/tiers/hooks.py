"""What other modules do when a recognition is revoked (撤销认定).

tiers may not import the modules above it (awards), so they register here in their ``ready`` (as they
register to-dos and openers with ``core.navigation``): ``on_revoke`` handlers run inside the revocation's
transaction; ``describers`` say in a line what became of what the recognition triggered (on its page and in
the message to the revoking official).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (user, recognition, reason): called inside the revocation's transaction.
RevokeHandler = Callable[[Any, Any, str], None]
# recognition → a line for its page ("" when there is nothing to say).
Describer = Callable[[Any], str]

_ON_REVOKE: list[RevokeHandler] = []
_DESCRIBERS: list[Describer] = []


def register_on_revoke(handler: RevokeHandler) -> None:
    if handler not in _ON_REVOKE:
        _ON_REVOKE.append(handler)


def register_describer(describer: Describer) -> None:
    if describer not in _DESCRIBERS:
        _DESCRIBERS.append(describer)


def revoked(user: Any, recognition: Any, reason: str) -> None:
    for handler in _ON_REVOKE:
        handler(user, recognition, reason)


def consequences(recognition: Any) -> list[str]:
    return [line for describer in _DESCRIBERS if (line := describer(recognition))]
