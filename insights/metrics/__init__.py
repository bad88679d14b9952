"""The SaaS and product metrics, each defined once as a function whose docstring is its definition.

revenue (MRR and movements, ARR, ARPU, churn, LTV, CAC, payback), retention (signup-month cohorts),
funnel (visitor → Pro), activity (DAU/WAU/MAU, stickiness, feature adoption, growth), content; the
daily snapshots (snapshots.py) store their figures per day so dashboards and the API read rows, not
events. `registry.METRICS` names the ones the API serves and the admin explains.

Days are UTC days; a figure "on a day" is measured at the end of that day.
"""
