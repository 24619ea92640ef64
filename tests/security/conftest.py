"""Fixtures of the security tests: a client that signs in through the real log-in page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "Tuijin@2022!"


@pytest.fixture
def sign_in(users) -> Callable[..., tuple[Client, object]]:
    """Sign in through the log-in page (not force_login): axes, backends and signals all run."""

    def make(username: str, password: str = PASSWORD, ip: str = "10.0.0.1") -> tuple[Client, object]:
        client = Client(REMOTE_ADDR=ip)
        response = client.post(reverse("login"), {"username": username, "password": password})
        return client, response

    return make


@pytest.fixture
def totp_required(settings):
    settings.TUIJIN_ADMIN_TOTP_REQUIRED = True
    return settings


@pytest.fixture
def api(users):
    """An API client signed in (session) as one of the fixture users."""
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(users[username])
        return client

    return make
