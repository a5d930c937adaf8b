"""Secrets at rest: a model field whose value is encrypted in the database (Fernet, from `cryptography`).

The key is derived from SECRET_KEY (HKDF, one purpose string per use) and SECRET_KEY_FALLBACKS are tried on
reading, so rotating the secret key the way Django documents it keeps every stored secret readable; the next save
re-encrypts it under the new key. A value that no key opens reads as "" (the feed then says to add it again):
nothing ever falls back to storing or showing it in clear.

Backups do not copy the ciphertext: the serializer sees the plain value and ops/backup.py seals it with the
backup key (a model lists the field in BACKUP_SEALED_FIELDS), so a restore on another host works without this
installation's secret key.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


def _fernet_for(secret: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pathcraft-sealed-field", info=purpose.encode())
    return Fernet(base64.urlsafe_b64encode(key.derive(secret.encode())))


def box(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(s, purpose) for s in secrets])


def seal(value: str, purpose: str) -> str:
    return PREFIX + box(purpose).encrypt(value.encode()).decode()


def unseal(value: str, purpose: str) -> str:
    if not value.startswith(PREFIX):
        return ""
    try:
        return box(purpose).decrypt(value[len(PREFIX) :].encode()).decode()
    except (InvalidToken, ValueError):
        return ""


class SealedTextField(models.TextField):
    """A text column stored encrypted; Python code sees the plain value, the database never does."""

    def __init__(self, *args, purpose: str = "field", **kwargs) -> None:
        self.purpose = purpose
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return "" if not value else unseal(value, self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return "" if not value else seal(value, self.purpose)
