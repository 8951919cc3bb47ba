from django.conf import settings


def sign_in(request) -> dict:
    """How staff sign in here: the provider's button, the password form, or both."""
    return {
        "sso_enabled": settings.OIDC_ENABLED,
        "sso_name": settings.OIDC_PROVIDER_NAME,
        "password_sign_in": settings.PASSWORD_SIGN_IN,
    }
