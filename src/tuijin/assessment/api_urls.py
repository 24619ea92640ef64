"""Routes of the assessment API, included under ``/api/v1/`` by ``tuijin.api_urls``.

``/api/v1/rankings/?period=&indicator=``, ``/api/v1/escalations/?period=``,
``/api/v1/evaluations/?quarter=`` (+ ``POST`` to run one), ``/api/v1/forecast/?period=``.
"""

from django.urls import path

from .api import EscalationView, EvaluationView, ForecastView, RankingView

urlpatterns = [
    path("rankings/", RankingView.as_view(), name="rankings"),
    path("escalations/", EscalationView.as_view(), name="escalations"),
    path("evaluations/", EvaluationView.as_view(), name="evaluations"),
    path("forecast/", ForecastView.as_view(), name="forecast"),
]
