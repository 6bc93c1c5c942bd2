from typing import Any

from django.http import HttpRequest

from zjtx.core.navigation import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_modules": modules_for(request.user) if request.user.is_authenticated else []}
