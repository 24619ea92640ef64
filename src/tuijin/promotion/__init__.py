"""Investment promotion (招商引资, 二(四)10–11): deals from 在谈 to 投产, tier bands and targets,
the weekly report, the monthly review of stalled deals, the quarterly bulletin section and the
annual assessment per unit, big-event signings (集中签约), and conversion of a signed deal into
a project of the library.

Formulas are pure functions in :mod:`tuijin.promotion.rules` over ``plan.rules.deal_tiers`` and
``plan.rules.promotion``.
"""
