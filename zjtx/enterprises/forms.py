from __future__ import annotations

from django import forms

from zjtx.core import reference, regions
from zjtx.enterprises.access import Places
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator, SizeClass, Tier


def city_choices(blank: str = "全部") -> list[tuple[str, str]]:
    return [("", blank), *regions.CITIES]


def county_choices(city_code: str = "", blank: str = "全部") -> list[tuple[str, str]]:
    rows = regions.counties(city_code) if regions.is_city(city_code) else []
    return [("", blank), *rows]


class FilterForm(forms.Form):
    q = forms.CharField(label="企业名称或信用代码", required=False)
    city = forms.ChoiceField(label="所在市", required=False)
    county = forms.ChoiceField(label="县（区）", required=False)
    industry = forms.CharField(label="行业代码", required=False, max_length=4)
    tier = forms.ChoiceField(label="梯度层级", required=False, initial="all",
                             choices=[("all", "全部"), *[(v or "", lbl) for v, lbl in Tier.choices]])
    size = forms.ChoiceField(label="企业规模", required=False, initial="all",
                             choices=[("all", "全部"), *[(v or "", lbl) for v, lbl in SizeClass.choices]])
    emerging = forms.ChoiceField(label="十大新兴产业", required=False,
                                 choices=[("", "全部"), *reference.EMERGING_INDUSTRIES])

    def __init__(self, *args: object, places: Places | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        places = places or Places()
        cities = [(c, regions.city_name(c)) for c in places.cities] if places.cities is not None else regions.CITIES
        city_field = self.fields["city"]
        assert isinstance(city_field, forms.ChoiceField)
        city_field.choices = cities if places.fixed else [("", "全部"), *cities]
        # The counties follow the chosen city (or the only one the user sees).
        city = (self.data.get("city") if self.data else "") or (cities[0][0] if len(cities) == 1 else "")
        counties = county_choices(str(city))[1:]
        if places.counties is not None:
            counties = [(code, name) for code, name in counties if code in places.counties]
        county_field = self.fields["county"]
        assert isinstance(county_field, forms.ChoiceField)
        only_own = places.fixed and places.counties is not None
        county_field.choices = counties if only_own else [("", "全部"), *counties]


LOCKED_MESSAGES = {
    "credit_code": "统一社会信用代码不能修改",
    "city_code": "企业用户不能修改，请联系所在市经信部门",
    "county_code": "企业用户不能修改，请联系所在市经信部门",
}


class EnterpriseForm(forms.ModelForm):
    city_code = forms.ChoiceField(label="所在市", choices=city_choices("请选择"))
    county_code = forms.ChoiceField(label="所在县（区）", required=False)
    emerging_industry = forms.ChoiceField(label="十大新兴产业", required=False,
                                          choices=[("", "不属于"), *reference.EMERGING_INDUSTRIES])
    founded_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Enterprise
        fields = ["credit_code", "name", "city_code", "county_code", "founded_on", "industry_code",
                  "emerging_industry", "registered_capital", "contact_name", "contact_phone"]

    def __init__(self, *args: object, locked: set[str] | None = None, scope: tuple[str, str] = ("", ""),
                 **kwargs: object) -> None:
        """`scope` is the (city, county) the user must keep the enterprise in ('' = any): see access.place_scope."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        city, county = scope
        city_field = self.fields["city_code"]
        assert isinstance(city_field, forms.ChoiceField)
        if city:
            city_field.choices = [(city, regions.city_name(city))]
            city_field.error_messages["invalid_choice"] = f"只能选择本市（{regions.city_name(city)}）"
        county_field = self.fields["county_code"]
        assert isinstance(county_field, forms.ChoiceField)
        counties = [(c, f"{regions.city_name(in_city)} {n}") for c, n, in_city in regions.all_counties()
                    if not city or in_city == city]
        county_field.choices = [c for c in counties if c[0] == county] if county else [("", "请选择"), *counties]
        if county:
            county_field.error_messages["invalid_choice"] = f"只能选择本县（区）（{regions.county_name(county)}）"
        elif city:
            county_field.error_messages["invalid_choice"] = f"所在县（区）不属于本市（{regions.city_name(city)}）"
        self.locked = locked or set()
        for name in self.locked:
            self.fields[name].disabled = True

    def clean(self) -> dict[str, object]:
        """A locked field is not sent by the browser (it is disabled): one posted with another value is a
        tampered form. Django would drop it in silence and save the rest; it is refused, naming the field."""
        cleaned = super().clean() or {}
        for name in sorted(self.locked):
            posted, stored = self.data.get(name), self.initial.get(name)
            if posted is not None and posted != ("" if stored is None else str(stored)):
                self.add_error(name, LOCKED_MESSAGES.get(name, "此项不能在此修改"))
        return cleaned


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["revenue", "main_revenue", "rd_expense", "employees", "rd_staff", "net_profit", "total_assets",
                  "total_liabilities", "ip_i_count", "main_product", "market_share", "financing", "export"]


def _choice_errors(choices: list[tuple[str, str]]) -> dict[str, str]:
    """A choice missing or not offered (a tampered or outdated form), in Chinese with what is offered; the
    page puts the field's name before it."""
    offered = "、".join(str(label) for _, label in choices)
    return {"required": f"请选择一项（{offered}）",
            "invalid_choice": f"“%(value)s”不是可选项，请选择{offered}之一"}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=ImportJob.Kind.choices, widget=forms.RadioSelect,
                             initial=ImportJob.Kind.ENTERPRISES,
                             error_messages=_choice_errors(ImportJob.Kind.choices))
    mode = forms.ChoiceField(label="导入方式", choices=ImportJob.Mode.choices, widget=forms.RadioSelect,
                             initial=ImportJob.Mode.ALL_OR_NOTHING,
                             error_messages=_choice_errors(ImportJob.Mode.choices))
    file = forms.FileField(label="文件（.xlsx 或 .csv）", error_messages={
        "required": "请选择要上传的 .xlsx 或 .csv 文件", "empty": "上传的文件是空的，请检查后重新选择",
        "invalid": "没有收到文件，请重新选择后上传", "missing": "没有收到文件，请重新选择后上传"})
