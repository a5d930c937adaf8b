"""Full backup and restore: every row of pathcraft's apps and the accounts, as one JSON document.

Restore loads into an empty installation only, in one transaction, so a failed restore changes nothing.
Models may name fields that must never leave the app readable (e.g. raw anonymous answers):
`BACKUP_SEALED_FIELDS = ("field", ...)`; those values are encrypted (Fernet) with the backup key.

The backup key is its own secret, `PATHCRAFT_BACKUP_KEY` (docs/backup.md): one or more Fernet keys,
comma-separated; the first seals, every one opens (``MultiFernet``), so a key can be rotated while older
backups stay readable. Rotating or losing `SECRET_KEY` therefore no longer loses the sealed fields, and a
second host restores with the backup key alone. Backups made before this key existed were sealed with a
key derived from `SECRET_KEY`; that key is tried last, and seals only when no backup key is set.
Only fingerprints of keys are ever printed or stored in a backup, never a key.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError

FORMAT = "pathcraft-backup"
VERSION = 1
# Accounts and groups travel with the data; sessions, admin log, task results and the scheduler's
# bookkeeping (models with BACKUP_EXCLUDED = True) do not.
EXTRA_MODELS = ["auth.group", "auth.user"]


def backed_up_models() -> list:
    """Models in dependency order: auth first, then every pathcraft app."""
    chosen = [apps.get_model(label) for label in EXTRA_MODELS]
    for config in apps.get_app_configs():
        if config.name.startswith("pathcraft."):
            # Bookkeeping that belongs to one running installation (BACKUP_EXCLUDED) stays behind.
            chosen.extend(m for m in config.get_models() if not getattr(m, "BACKUP_EXCLUDED", False))
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return ordered


class _ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder cuts times to milliseconds; a backup must keep every microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _rows(model) -> list[dict]:
    python_rows = serializers.serialize("python", model._default_manager.order_by("pk"))
    return json.loads(json.dumps(python_rows, cls=_ExactEncoder))


SECRET_KEY_SEAL = "secret-key"  # what ``sealed_with`` says for the SECRET_KEY-derived key of older backups


def generate_key() -> str:
    """A new backup key (32 random bytes, URL-safe base64: a Fernet key)."""
    return Fernet.generate_key().decode()


def fingerprint(key: str | bytes) -> str:
    """A short, safe name for a key: the first 16 hex digits of SHA-256 of the key text."""
    raw = key.encode() if isinstance(key, str) else key
    return "sha256:" + hashlib.sha256(raw.strip()).hexdigest()[:16]


def configured_keys(value: str | None = None) -> list[str]:
    """The keys in PATHCRAFT_BACKUP_KEY (or ``value``), first = sealing key; raises on a malformed one."""
    text = getattr(settings, "BACKUP_KEY", "") if value is None else value
    keys = [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise PathcraftError(
                f"PATHCRAFT_BACKUP_KEY entry {position} is not a backup key (expected 44 characters of "
                "URL-safe base64 from `pathcraft backup-key`)"
            ) from None
    return keys


def _secret_key_fernet() -> Fernet:
    key = hashlib.sha256(("pathcraft-backup-seal:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def sealing_fingerprint() -> str:
    """Which key seals new backups: the first backup key, or the SECRET_KEY-derived one if none is set."""
    keys = configured_keys()
    return fingerprint(keys[0]) if keys else SECRET_KEY_SEAL


def _sealing_box() -> Fernet:
    keys = configured_keys()
    return Fernet(keys[0]) if keys else _secret_key_fernet()


def _opening_box() -> MultiFernet:
    # Every configured key, newest first, then the SECRET_KEY-derived key of older backups.
    return MultiFernet([*(Fernet(k) for k in configured_keys()), _secret_key_fernet()])


def _seal(model, record: dict, box: Fernet | None = None) -> dict:
    sealed = getattr(model, "BACKUP_SEALED_FIELDS", ())
    if sealed:
        box = box or _sealing_box()
        for name in sealed:
            value = record["fields"].get(name)
            record["fields"][name] = {"sealed": box.encrypt(json.dumps(value).encode()).decode()}
    return record


def _unseal(model, record: dict, box: MultiFernet | None = None, sealed_with: str | None = None) -> dict:
    sealed = getattr(model, "BACKUP_SEALED_FIELDS", ())
    if sealed:
        box = box or _opening_box()
    for name in sealed:
        value = record["fields"].get(name)
        if isinstance(value, dict) and "sealed" in value:
            try:
                record["fields"][name] = json.loads(box.decrypt(str(value["sealed"]).encode()))
            except InvalidToken:
                raise InputError(_wrong_key_message(sealed_with)) from None
    return record


def _wrong_key_message(sealed_with: str | None) -> str:
    keys = [fingerprint(k) for k in configured_keys()]
    made = {None: "an unknown key", SECRET_KEY_SEAL: "the SECRET_KEY of the installation that made it"}
    tried = f"PATHCRAFT_BACKUP_KEY ({', '.join(keys)})" if keys else "no PATHCRAFT_BACKUP_KEY (none is set)"
    return (
        f"the private fields of this backup are sealed with {made.get(sealed_with, 'backup key ' + str(sealed_with))}"
        f", which this installation does not have (tried {tried} and this SECRET_KEY); nothing was restored"
    )


def export_backup(progress=None) -> dict:
    """Return the whole backup as a JSON-able dict (primary keys kept, so links stay exact)."""
    objects = []
    counts = {}
    box = _sealing_box()
    for model in backed_up_models():
        label = model._meta.label_lower
        rows = _rows(model)
        objects.extend(_seal(model, r, box) for r in rows)
        counts[label] = len(rows)
        if progress:
            progress(label, len(rows))
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "sealed_with": sealing_fingerprint(),  # a fingerprint, never the key
        "counts": counts,
        "objects": objects,
    }


def write_backup(path: Path, progress=None) -> dict[str, int]:
    document = export_backup(progress)
    tmp = path.with_suffix(path.suffix + ".partial")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # never leave a half-written backup under the real name
    return document["counts"]


def read_backup(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a pathcraft backup (not JSON: {exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"{path}: not a pathcraft backup (no 'format: {FORMAT}')")
    if document.get("version") != VERSION:
        raise InputError(
            f"{path}: backup version {document.get('version')} is not supported (expected {VERSION})"
        )
    return document


def restore_backup(document: dict, progress=None) -> dict[str, int]:
    """Load a backup into an empty installation; all or nothing."""
    models = backed_up_models()
    busy = [m._meta.label_lower for m in models if m._default_manager.exists()]
    if busy:
        raise PathcraftError(
            f"restore needs an empty installation, but it already holds {', '.join(busy[:4])}"
            + (" …" if len(busy) > 4 else "")
        )
    known = {m._meta.label_lower: m for m in models}
    records = []
    box, sealed_with = _opening_box(), document.get("sealed_with")
    # Everything is opened before anything is written: a wrong key stops here, with nothing restored.
    for index, record in enumerate(document.get("objects", [])):
        label = record.get("model") if isinstance(record, dict) else None
        if label not in known:
            raise InputError(f"object {index}: unknown model {label!r}")
        records.append(_unseal(known[label], record, box, sealed_with))
    counts: dict[str, int] = {}
    with transaction.atomic():
        try:
            for obj in serializers.deserialize("python", records, ignorenonexistent=False):
                obj.save()
                label = obj.object._meta.label_lower
                counts[label] = counts.get(label, 0) + 1
            # SQLite checks foreign keys only at commit; check now so a broken backup fails here, whole.
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except (serializers.base.DeserializationError, IntegrityError) as exc:
            raise InputError(f"backup could not be loaded: {exc}") from exc
        _reset_sequences(models)
        expected = {k: v for k, v in document.get("counts", {}).items() if v}
        if expected and expected != counts:
            raise PathcraftError(
                f"restore counted {counts}, the backup says {expected}; nothing was restored"
            )
    if progress:
        for label, n in counts.items():
            progress(label, n)
    return counts


def _reset_sequences(models) -> None:
    # PostgreSQL keeps a sequence per table; rows loaded with explicit ids leave it behind.
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
