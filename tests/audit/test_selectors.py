"""Reads of the audit log take the principal: the newest entry's id (the data version) included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tuijin.audit import selectors
from tuijin.audit.models import AuditEntry
from tuijin.orgs import policy
from tuijin.toolkit.errors import PermissionRefused

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_newest_entry_id_is_the_version_of_the_data_for_system_and_users(users):
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    assert newest  # the fixture users were written through the audit
    assert selectors.newest_entry_id(user=policy.SYSTEM) == newest
    assert selectors.newest_entry_id(user=users["jinshui"]) == newest


def test_the_newest_entry_id_refuses_no_principal_and_the_signed_out(db):
    with pytest.raises(TypeError):
        selectors.newest_entry_id(user=None)
    with pytest.raises(PermissionRefused):
        selectors.newest_entry_id(user=AnonymousUser())
