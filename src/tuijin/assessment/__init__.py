"""Assessment: rankings, last-place escalation, quarterly evaluation and awards, forecast.

The formulas are pure functions in :mod:`tuijin.assessment.rules` (no ORM); they take the
plan's rule objects (``plan.rules.ranking``, ``.escalation``, ``.quarterly_awards``,
``.evaluation``) or plain numbers, so every figure comes from the plan file (DESIGN §3, §5).
"""
