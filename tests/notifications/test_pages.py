"""The inbox page, the bell in the navbar and its unread count."""

from __future__ import annotations

import pytest

from tuijin.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_bell_is_in_the_navbar_and_counts_unread(users, client_for):
    Notification.objects.create(recipient=users["jinshui"], kind="task_assigned", key="a", title="新交办的督办任务",
                                link="/supervision/")
    Notification.objects.create(recipient=users["zhongyuan"], kind="task_assigned", key="a", title="别人的")
    client = client_for("jinshui")
    home = client.get("/problems/").content.decode()
    assert 'data-testid="bell"' in home and 'hx-get="/notifications/bell/"' in home
    assert 'data-testid="unread-count">1<' in client.get("/notifications/bell/").content.decode()
    inbox = client.get("/notifications/").content.decode()
    assert "新交办的督办任务" in inbox and "别人的" not in inbox
    mine = Notification.objects.get(recipient=users["jinshui"])
    response = client.post(f"/notifications/{mine.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    assert "unread-count" not in client.get("/notifications/bell/").content.decode()
    other = Notification.objects.get(recipient=users["zhongyuan"])
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404


def test_the_inbox_runs_a_bounded_number_of_queries(users, client_for, django_assert_max_num_queries):
    Notification.objects.bulk_create([Notification(recipient=users["dcs"], kind="task_overdue", key=f"k{i}",
                                                   title=f"提醒{i}") for i in range(30)])
    client = client_for("dcs")
    with django_assert_max_num_queries(10):  # session, user, count, page, unread, session save: not per row
        page = client.get("/notifications/")
    assert page.content.decode().count("data-notification=") == 30
