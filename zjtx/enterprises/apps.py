from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "zjtx.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from zjtx.core.audit import model_describer, register_describer
        from zjtx.core.navigation import register_opener
        from zjtx.enterprises.access import LIST_ROLES
        from zjtx.enterprises.models import Enterprise, Indicator, RegistryLabels

        register_opener("enterprises", lambda user: user.role in LIST_ROLES)

        fields, figures = model_describer(Enterprise), model_describer(Indicator)

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

        def indicator(key: str, value: Any) -> tuple[str, str | None]:
            """Figures as the indicator table shows them: amounts 5,000.00 (core's wan), the share 12.50%."""
            label, shown = figures(key, value)
            return label, (f"{shown}%" if key == "market_share" and shown is not None else shown)

        register_describer("enterprise", enterprise)
        register_describer("indicator", indicator)
