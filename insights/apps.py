from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from insights import (
            incident_receivers,
            prometheus,
            receivers,  # noqa: F401 (connects the clean-up after deleted people)
            request_timing,
            signals,
        )

        # One timing of each request feeds both the ops console's route table and Prometheus.
        request_timing.add_observer(prometheus.observe_request)

        signals.alert_fired.connect(incident_receivers.on_alert_fired, dispatch_uid="insights.incident_from_alert")
        signals.alert_resolved.connect(
            incident_receivers.on_alert_resolved, dispatch_uid="insights.incident_alert_resolved"
        )
        prometheus.connect_task_signals()
