"""奖补兑现 pages: entitlements and their actions, budgets, the ledger, payment lists."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.awards import access, exports, selectors, services, workflow
from zjtx.awards.forms import AccountForm, BudgetForm
from zjtx.awards.models import Entitlement, LedgerEntry
from zjtx.core.errors import ApplicationError
from zjtx.core.http import page_errors, query_without_page, search_text, xlsx_response
from zjtx.tiers import clock
from zjtx.tiers.models import Batch

# The list's status filter: the states, the paid awards whose recognition was revoked, the upgrades settled short.
STATUS_FILTERS = [*Entitlement.Status.choices, (selectors.RECOVERY, "已拨付待追回（认定已撤销）"),
                  (selectors.TOPUP, "升级奖补待决定补差")]


@login_required
@page_errors
@require_GET
def entitlements(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    cities = access.filter_cities(user)
    status = request.GET.get("status", "")
    city = request.GET.get("city", "")
    city = city if len(cities) > 1 and city in dict(cities) else ""
    # NUL cannot reach a PostgreSQL query
    search = search_text(request) if user.role != Role.ENTERPRISE else ""
    data = selectors.entitlement_list(user=user, status=status, city_code=city, search=search,
                                      page=request.GET.get("page", 1))
    context = {"data": data, "rows": data.page.object_list, "status": status, "statuses": STATUS_FILTERS,
               "city": city, "cities": cities if len(cities) > 1 else [], "q": search,
               "searchable": user.role != Role.ENTERPRISE, "query": query_without_page(request),
               "is_province": user.role == Role.PROVINCE}
    return render(request, "awards/entitlements.html", context)


@login_required
@page_errors
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    try:
        created = services.entitlements_generate(user=current_user(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已按政策引擎测算，新生成 {len(created)} 项奖补资格。")
    return redirect("awards:entitlements")


@login_required
@page_errors
@require_GET
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    entitlement, may_act = access.readable_entitlement(user, pk)
    return render(request, "awards/entitlement.html", _detail_context(user, entitlement, may_act=may_act))


def _detail_context(user: User, entitlement: Entitlement, form: AccountForm | None = None,
                    may_act: bool = True) -> dict[str, Any]:
    actions = workflow.available(workflow.ENTITLEMENT, user=user, state=entitlement.status) if may_act else []
    entries = _entries(user, entitlement)
    return {
        "x": entitlement, "actions": actions, "form": form or _account_form(entitlement, actions),
        "read_only": not may_act,
        "decides_topup": may_act and bool(entitlement.topup_note) and user.role == Role.PROVINCE,
        "entries": entries,
        # what stands paid after reversals and reissues (a reissue may be less than the award)
        "net_paid": sum((e.amount for e in entries), Decimal(0)) if entries else None,
        "history": _history(entitlement),
        # Officials check the engine's parameters by id; an enterprise reads their names only.
        "parameters": selectors.parameters_used(entitlement), "show_ids": user.role != Role.ENTERPRISE,
    }


def _entries(user: User, entitlement: Entitlement) -> list[LedgerEntry]:
    """The entitlement's ledger lines, each with its receiving account as the ledger page shows it, so a
    reissue to a corrected account stands apart from the original lines here too."""
    return selectors.with_accounts_shown(user, entitlement.ledger_entries.order_by("id"))


def _account_form(entitlement: Entitlement, actions: Any) -> AccountForm | None:
    """The blank account form of the account action the user may take now, if any."""
    action = next((a for a in ACCOUNT_ACTIONS if a in actions), None)
    if action is None:
        return None
    initial = {"account_name": entitlement.account_name or entitlement.enterprise.name,
               "bank_name": entitlement.bank_name, "account_no": entitlement.account_no}
    return AccountForm(initial=initial, action=action)


def _history(entitlement: Entitlement) -> list[Any]:
    from zjtx.core.models import AuditEvent

    return list(AuditEvent.objects.filter(target_type="entitlement", target_id=str(entitlement.pk)).order_by("at",
                                                                                                          "id"))


# Account actions: the service that takes the form's fields and the message on success.
ACCOUNT_ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "confirm_account": (services.entitlement_confirm_account, "收款账户已确认，等待市级审核。"),
    "apply": (services.entitlement_confirm_account, "奖补申请已提交，等待市级审核。"),
    "correct_account": (services.entitlement_correct_account, "收款账户已更正，更正重拨将拨付到新账户。"),
}


def _account_act(request: HttpRequest, user: User, x: Entitlement, action: str) -> HttpResponse:
    """Save the account, or show the page again with what was typed and the error beside its field."""
    form = AccountForm(request.POST, action=action)
    if form.is_valid():
        service, done = ACCOUNT_ACTIONS[action]
        try:
            service(user=user, entitlement=x, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            return redirect("awards:entitlement", pk=x.pk)
    return render(request, "awards/entitlement.html", _detail_context(user, x, form))


def _act(request: HttpRequest, user: User, x: Entitlement, action: str) -> str:
    post = request.POST
    if action == "city_pass":
        services.entitlement_city_check(user=user, entitlement=x, approve=True)
        return "市级审核通过，已报省级审批。"
    if action == "city_reject":
        services.entitlement_city_check(user=user, entitlement=x, approve=False, reason=post.get("reason", ""))
        return "已审核不通过。"
    if action == "approve":
        services.entitlement_approve(user=user, entitlement=x)
        return "已审批，待拨付。"
    if action == "reject":
        services.entitlement_reject(user=user, entitlement=x, reason=post.get("reason", ""))
        return "已不予兑现。"
    if action == "pay":
        entry = services.entitlement_pay(user=user, entitlement=x)
        return f"已拨付，台账分录 #{entry.pk}。"
    if action == "reverse":
        latest = LedgerEntry.objects.filter(entitlement=x).exclude(kind=LedgerEntry.Kind.REVERSAL).order_by("-id")
        last = latest.first()
        if last is None:
            raise ApplicationError("没有可冲销的分录", field="entry")
        services.ledger_reverse(user=user, entry=last, reason=post.get("reason", ""))
        return "已记录追回并冲销，本项奖补不予兑现。" if x.recovery_note else "已冲销。"
    if action == "topup_decide":
        services.entitlement_topup_decide(user=user, entitlement=x, decision=post.get("decision", ""))
        return "补差决定已记录。"
    if action == "reissue":
        services.ledger_reissue(user=user, entitlement=x, amount=post.get("amount", ""), reason=post.get("reason", ""))
        return "已更正重拨。"
    if action == "close_reversal":
        services.entitlement_close_reversal(user=user, entitlement=x, reason=post.get("reason", ""))
        return "已确认不再补发：本项奖补不予兑现，所占预算已释放。"
    raise ApplicationError("没有这个操作", field="action")


@login_required
@page_errors
@require_POST
def entitlement_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    entitlement = access.access_entitlement(user, pk)
    if action in ACCOUNT_ACTIONS:
        return _account_act(request, user, entitlement, action)
    try:
        messages.success(request, _act(request, user, entitlement, action))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("awards:entitlement", pk=pk)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = BudgetForm(request.POST or None, initial={"year": clock.today().year, "funding_level": "省级"})
    if request.method == "POST":
        access.require_province(user, "下达预算")
        if form.is_valid():
            try:
                services.budget_set(user=user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "预算已保存。")
                return redirect("awards:budgets")
    return render(request, "awards/budgets.html", {"rows": selectors.budget_rows(user), "form": form,
                                                   "is_province": user.role == Role.PROVINCE})


@login_required
@page_errors
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    data = selectors.ledger_page(user=user, page=request.GET.get("page", 1))
    return render(request, "awards/ledger.html", {"data": data, "rows": data.page.object_list})


def _list_params(request: HttpRequest, user: User) -> tuple[int | None, str]:
    """Batch and city of a payment list; a city user's list is always its own city's."""
    allowed = [code for code, _ in access.filter_cities(user)]
    city = allowed[0] if len(allowed) == 1 else request.GET.get("city", "")
    return _batch_id(request.GET.get("batch", "")), (city if city in allowed else "")


def _batch_id(raw: str) -> int | None:
    """The batch the list is filtered by. An id no batch has (also one too long for the database, which
    failed with a server error) selects none, as the filter then shows 全部."""
    if not raw.isdigit() or len(raw) > 18:
        return None
    pk = int(raw)
    return pk if Batch.objects.filter(pk=pk).exists() else None


@login_required
@page_errors
@require_GET
def payments(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    batch_id, city = _list_params(request, user)
    data = selectors.payment_page(user=user, batch_id=batch_id, city_code=city, page=request.GET.get("page", 1))
    context = {"data": data, "batches": Batch.objects.order_by("-opens_on"), "cities": access.filter_cities(user),
               "batch_id": batch_id, "city": city, "query": query_without_page(request)}
    return render(request, "awards/payments.html", context)


@login_required
@page_errors
@require_GET
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    batch_id, city = _list_params(request, user)
    data = selectors.payment_list(user=user, batch_id=batch_id, city_code=city)
    return xlsx_response(exports.payment_list_xlsx(data), f"{data.title}.xlsx")
