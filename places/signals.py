"""Signals places sends for apps built on it (decision 0083: places imports none of them)."""

from django.dispatch import Signal

# A colleague's or a lead's invitation email was just sent (``error`` None) or refused
# (``error`` the exception). The outbox in assessments keeps a row of it (decision 0026).
invitation_email_sent = Signal()
