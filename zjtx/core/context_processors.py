from typing import Any

from django.http import HttpRequest

from zjtx.core.navigation import MODULES


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_modules": MODULES}
