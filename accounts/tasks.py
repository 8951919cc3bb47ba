"""Password-reset emails, sent by the task worker (never inside the request; decision 0111)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django_tasks import task

from accounts.forms import EmailPasswordResetForm

EMAIL_TEMPLATES = {
    "subject_template_name": "accounts/email/password_reset_subject.txt",
    "email_template_name": "accounts/email/password_reset.txt",
    "html_email_template_name": "accounts/email/password_reset.html",
}


@task()
def send_password_reset(email: str) -> str:
    """Email a reset link to each active account with this address (none: nothing is sent).

    The link's token is made here, from the account's state now; it works for
    PASSWORD_RESET_TIMEOUT and stops working once the password changes."""
    form = EmailPasswordResetForm({"email": email})
    if not form.is_valid():
        return "invalid"
    users = list(form.get_users(form.cleaned_data["email"]))
    if not users:
        return "no-account"
    # Links use the configured public address (there is no request here to take a Host from).
    form.save(
        domain_override=urlsplit(settings.SITE_URL).netloc,
        use_https=settings.SITE_URL.startswith("https:"),
        extra_email_context={"site_url": settings.SITE_URL},
        **EMAIL_TEMPLATES,
    )
    return "sent"
