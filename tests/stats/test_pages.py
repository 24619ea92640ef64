"""The statistics page: the month's figures, coverage, and the bureau's upload with its result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tuijin.stats.models import OfficialStat

from .conftest import month_rows, run_import

pytestmark = pytest.mark.django_db

URL = "/stats/"


@pytest.fixture
def loaded(tjj, xlsx):
    run_import(tjj, xlsx(month_rows()), period="2022-06")
    run_import(tjj, xlsx(month_rows(base=50_000)), period="2022-05")


def test_the_page_is_at_stats_and_opens_on_the_latest_month(client_for, loaded):
    assert reverse("stats:overview") == URL
    response = client_for("leader").get(URL)
    assert response.status_code == 200
    assert response.context["table"].period == "2022-06"
    html = response.content.decode()
    assert 'data-org="city"' in html and 'data-org="hangkonggang"' in html and 'data-testid="coverage"' in html
    assert response.context["periods"][:2] == ["2022-06", "2022-05"]
    assert 'data-testid="upload"' not in html  # a leader reads only


def test_another_month_is_chosen_by_its_period(client_for, loaded):
    assert client_for("jinshui").get(URL, {"period": "2022-05"}).context["table"].period == "2022-05"
    assert client_for("jinshui").get(URL, {"period": "nonsense"}).context["table"].period == "2022-06"


@pytest.mark.parametrize("username", ["jinshui", "gxj", "dcs", "fgw", "tjj"])
def test_every_business_role_sees_the_page(client_for, loaded, username):
    assert client_for(username).get(URL).status_code == 200


@pytest.mark.parametrize("username", ["auditor", "sysadmin", "secadmin"])
def test_the_administrators_do_not(client_for, loaded, username):
    assert client_for(username).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, orgs):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_runs_a_bounded_number_of_queries(client_for, tjj, xlsx, django_assert_max_num_queries):
    run_import(tjj, xlsx(month_rows()), period="2022-06")
    client = client_for("fgw")
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for indicator in ("industrial", "infrastructure", "real_estate"):
        run_import(tjj, xlsx(month_rows(indicator=indicator)), period="2022-06")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_the_bureau_uploads_and_sees_the_result(client_for, tjj, xlsx):
    client = client_for("tjj")
    assert 'data-testid="upload"' in client.get(URL).content.decode()
    with xlsx(month_rows()).open("rb") as fh:
        response = client.post(reverse("stats:upload"), {"file": fh, "period": "2022-06"})
    assert response.status_code == 200
    assert response.context["import_result"]["ok"] is True
    assert 'data-testid="import-result" data-ok="1"' in response.content.decode()
    assert OfficialStat.objects.count() == 17
    assert response.context["table"].period == "2022-06"


def test_an_upload_with_errors_lists_them_and_writes_nothing(client_for, tjj, xlsx):
    with xlsx([["nowhere", "fai", "x", 5000]]).open("rb") as fh:
        response = client_for("tjj").post(reverse("stats:upload"), {"file": fh, "period": "2022-06"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-ok="0"' in html and 'data-testid="import-errors"' in html
    assert "未知的单位代码“nowhere”" in html and "应在-100至1000之间" in html
    assert not OfficialStat.objects.exists()


def test_a_future_period_is_shown_as_the_refusal(client_for, tjj, xlsx):
    with xlsx(month_rows()).open("rb") as fh:
        response = client_for("tjj").post(reverse("stats:upload"), {"file": fh, "period": "2099-01"})
    assert response.status_code == 400 and "尚未到来" in response.content.decode()


def test_a_form_without_file_is_a_400(client_for, tjj):
    assert client_for("tjj").post(reverse("stats:upload"), {"period": "2022-06"}).status_code == 400


@pytest.mark.parametrize("username", ["jinshui", "leader", "gxj"])
def test_others_may_not_upload(client_for, users, xlsx, username):
    with xlsx(month_rows()).open("rb") as fh:
        response = client_for(username).post(reverse("stats:upload"), {"file": fh, "period": "2022-06"})
    assert response.status_code == 403 and not OfficialStat.objects.exists()


def test_the_navigation_links_the_page_for_business_roles(client_for, loaded):
    nav = dict((label, url) for label, url, _active in client_for("jinshui").get(URL).context["nav_items"])
    assert URL in nav.values()
