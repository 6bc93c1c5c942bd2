"""The menu and the home page list only the modules the user's role may open."""

import pytest

from tests.factories import city_user, logged_in, make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.BANK, ["/tiers/"], ["/enterprises/", "/awards/"]),
        (Role.EXPERT, ["/tiers/"], ["/enterprises/", "/awards/"]),
        (Role.OFFICER, ["/enterprises/"], ["/awards/"]),
        (Role.DEPARTMENT, ["/enterprises/"], ["/awards/"]),
    ],
)
def test_roles_see_only_modules_they_may_open(role, shown, hidden):
    fields = {"department": "sci_tech"} if role == Role.DEPARTMENT else {}
    client = logged_in(make_user(role, **fields))
    page = client.get("/").content.decode()
    for url in shown:
        assert f'href="{url}"' in page and client.get(url).status_code == 200
    for url in hidden:
        assert f'href="{url}"' not in page and client.get(url).status_code == 403
    assert "专项工作" in page  # modules still 建设中 are listed for everyone


def test_a_city_official_sees_every_working_module():
    page = logged_in(city_user("340100")).get("/").content.decode()
    for url in ("/enterprises/", "/tiers/", "/policy/", "/awards/"):
        assert f'href="{url}"' in page


@pytest.mark.parametrize(("role", "shown"), [(Role.BANK, False), (Role.EXPERT, False), (Role.OFFICER, True)])
def test_the_tiers_tabs_offer_the_recognition_list_only_to_roles_that_may_open_it(role, shown):
    client = logged_in(make_user(role))
    page = client.get("/tiers/").content.decode()
    assert ('href="/tiers/recognitions/"' in page) is shown
    assert client.get("/tiers/recognitions/").status_code == (200 if shown else 403)
