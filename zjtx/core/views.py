from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zjtx.core.navigation import module, modules_for, todos_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"modules": modules_for(request.user), "todos": todos_for(request.user)})


@login_required
def under_construction(request: HttpRequest, slug: str) -> HttpResponse:
    found = module(slug)
    if found is None:
        raise Http404("没有这个模块")
    return render(request, "core/under_construction.html", {"module": found})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
