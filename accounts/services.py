"""Account writes that are not Django's own: password-reset requests."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError

# A person's inbox gets at most this many reset emails an hour, whoever asks; one client
# address may ask this many times an hour in all (a shared office network asks for several
# people). See docs/deploy.md, "Security".
RESETS_PER_EMAIL = 3
RESETS_PER_ADDRESS = 10
RESET_WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    """Count one more request in the window that ``key`` started (starting it if needed)."""
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


def password_reset_request(*, email: str, client_address: str | None) -> None:
    """Queue a reset email for ``email``, refusing past either hourly limit.

    The same work whether or not an account has this address: two counters and one task
    queued, nothing looked up. Whether an address has an account is found out by the worker,
    so the answer's timing cannot tell (decision 0111)."""
    from accounts.tasks import send_password_reset

    email = email.strip().lower()
    by_email = f"ninefold:password-resets:email:{email}"
    by_address = f"ninefold:password-resets:address:{client_address or 'unknown'}"
    minutes = RESET_WINDOW_SECONDS // 60
    if (cache.get(by_address) or 0) >= RESETS_PER_ADDRESS:
        raise ValidationError(
            f"Too many password resets have been asked for from your network. "
            f"Please wait up to {minutes} minutes and try again.",
            code="too_many_from_address",
        )
    if (cache.get(by_email) or 0) >= RESETS_PER_EMAIL:
        raise ValidationError(
            f"A reset link for this address has been asked for {RESETS_PER_EMAIL} times in "
            f"the last {minutes} minutes. If it has an account, use the latest email; or wait "
            f"up to {minutes} minutes and ask again.",
            code="too_many_for_email",
        )
    _count(by_address)
    _count(by_email)
    send_password_reset.enqueue(email)
