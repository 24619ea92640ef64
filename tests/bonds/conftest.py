"""A hand-made 3-unit special-bond case (the golden case ``three_units_june``) in the database."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context

YI = 100_000_000


@pytest.fixture
def bond_case(orgs, users, make_project):
    """金水区, 中原区, 二七区 with quotas, issuance by June, spending, reviews and violations."""
    from tuijin.bonds.models import (
        BondBatch,
        BondIssuance,
        BondQuota,
        BondSpending,
        ComplianceViolation,
        SupplementaryApplication,
    )

    spec = {
        "jinshui": (10, 4, 4, 3, 0),
        "zhongyuan": (5, 3, 0, 0, 1),
        "erqi": (2, 0.2, 2, 0, 3),
    }
    out = {}
    with audit_context(source="system", reason="test fixture"):
        batch = BondBatch.objects.create(year=2022, number=1, name="2022年第一批专项债券", issued_on=dt.date(2022, 1, 20))
        for code, (issued, spent, reviewed, passed, violations) in spec.items():
            project = make_project(code, tags=("special_bond",))
            quota = BondQuota.objects.create(batch=batch, project=project, unit=project.unit,
                                             amount_yuan=int(issued * YI) + 10 * YI)
            BondIssuance.objects.create(quota=quota, unit=project.unit, issued_on=dt.date(2022, 3, 10),
                                        amount_yuan=int(issued * YI))
            # Issued after June: not counted in the June evaluation.
            BondIssuance.objects.create(quota=quota, unit=project.unit, issued_on=dt.date(2022, 7, 10),
                                        amount_yuan=1 * YI)
            BondSpending.objects.create(project=project, unit=project.unit, year=2022, month=5,
                                        amount_yuan=int(spent * YI) // 2)
            BondSpending.objects.create(project=project, unit=project.unit, year=2022, month=6,
                                        amount_yuan=int(spent * YI) - int(spent * YI) // 2)
            BondSpending.objects.create(project=project, unit=project.unit, year=2022, month=7, amount_yuan=YI // 10)
            for i in range(reviewed):
                SupplementaryApplication.objects.create(
                    unit=project.unit, name=f"{code}补充申报{i}", year=2022, amount_yuan=YI,
                    submitted_on=dt.date(2022, 4, 1), reviewed_on=dt.date(2022, 4, 20),
                    status="passed" if i < passed else "rejected", review_note="" if i < passed else "收益不足")
            # Still awaiting review: not counted.
            SupplementaryApplication.objects.create(unit=project.unit, name=f"{code}待审", year=2022, amount_yuan=YI,
                                                    submitted_on=dt.date(2022, 6, 1))
            for i in range(violations):
                ComplianceViolation.objects.create(unit=project.unit, occurred_on=dt.date(2022, 5, 1 + i),
                                                   description="资金未按规定用途使用")
            out[code] = {"project": project, "quota": quota}
    return {"batch": batch, **out}


from plan_years import two_year_plans  # noqa: E402, F401  (the shared two-year plans directory)
