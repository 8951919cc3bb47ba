from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Rounds and responses"

    def ready(self) -> None:
        from assessments.services.outbox import outbox_record_sent
        from places.signals import invitation_email_sent

        def record(sender, invitation, error, **kwargs) -> None:
            outbox_record_sent(invitation=invitation, error=error)

        invitation_email_sent.connect(
            record, weak=False, dispatch_uid="assessments.outbox.place_emails"
        )
