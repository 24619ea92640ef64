"""The inbox API: one's own notifications only; mark read."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tuijin.notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_user_reads_and_marks_only_their_own(users):
    mine = Notification.objects.create(recipient=users["jinshui"], kind="task_assigned", key="k1", title="甲")
    theirs = Notification.objects.create(recipient=users["zhongyuan"], kind="task_assigned", key="k1", title="乙")
    client = api(users["jinshui"])
    body = client.get("/api/v1/notifications/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"]
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert api(users["zhongyuan"]).post("/api/v1/notifications/read-all/").json() == {"marked": 1, "unread": 0}
