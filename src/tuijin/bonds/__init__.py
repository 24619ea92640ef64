"""Special bonds (专项债, 二(二)8): batches, quotas, issuance, spending, supplementary
applications, compliance violations, and the evaluation of each unit's bond work.

The evaluation formulas are pure functions in :mod:`tuijin.bonds.rules`; every weight and
threshold comes from ``plan.rules.bond_evaluation``.
"""
