"""Issue and check API tokens.

A key is 256 random bits, so one SHA-256 is enough to store it: unlike a password it cannot
be guessed from a dictionary, and a fast hash keeps every API request cheap.
"""
import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

PREFIX_CHARS = 8
# last_used_at is for people deciding what to revoke; an hour is precise enough and spares a write per request.
LAST_USED_PRECISION = datetime.timedelta(hours=1)


def issue_token(user) -> str:
    """A new key for `user`, replacing (and so revoking) the one it had. The key is shown once, never stored."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, key_hash=_hash(key), prefix=key[:PREFIX_CHARS])
    return key


def user_for_key(key: str):
    """The active user whose token `key` is, or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
