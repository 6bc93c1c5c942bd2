from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from zjtx.core.audit import Describer


class EnterprisesConfig(AppConfig):
    name = "zjtx.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from zjtx.core.audit import register_describer
        from zjtx.core.navigation import register_opener
        from zjtx.enterprises.access import LIST_ROLES
        from zjtx.enterprises.models import Enterprise, Indicator, RegistryLabels

        register_opener("enterprises", lambda user: user.role in LIST_ROLES)

        fields = figures_describer(Enterprise)

        def enterprise(key: str, value: Any) -> tuple[str, str | None]:
            """Coded registry fields read as names (合肥市, 肥西县, 新能源和节能环保 …) in the history."""
            label, shown = fields(key, value)
            names = {"city_code": "city_name", "county_code": "county_name", "industry_code": "industry_label",
                     "emerging_industry": "emerging_label"}
            if shown is None or key not in names:
                return label, shown
            coded = RegistryLabels()
            setattr(coded, key, str(value))
            return label, getattr(coded, names[key]) or shown

        register_describer("enterprise", enterprise)
        register_describer("indicator", figures_describer(Indicator))


def figures_describer(model: Any) -> Describer:
    """History values as the enterprise page shows them: amounts through the site's `wan` (5,000.00, as
    the page above the history reads), the market share with its %, dates as 2016-03-05."""
    from django.db import models

    from zjtx.core.audit import model_describer
    from zjtx.core.templatetags.money import wan

    plain = model_describer(model)

    def describe(key: str, value: Any) -> tuple[str, str | None]:
        label, shown = plain(key, value)
        field = next((f for f in model._meta.concrete_fields if f.name == key), None)
        if shown is None or not isinstance(field, models.DecimalField):
            return label, shown
        return label, wan(value) + ("%" if key == "market_share" else "")

    return describe
