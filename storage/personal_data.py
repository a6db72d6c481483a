"""Personal data at rest (ID numbers, mobiles): sealed with AES-GCM, found by a keyed hash.

A sealed value is stored as `sealed:<key id>:<base64url(nonce, ciphertext, tag)>`, so that
keys can rotate: the ring keeps every key still needed to open old values, and seals new ones
with the current key (`lms-plugin rotate-keys` re-seals the old ones). The associated data
names the column, so a value copied into another column does not open. Beside each sealed
column a keyed hash (HMAC-SHA256 with a key of its own, over the normalised value) serves
uniqueness and exact lookup; it never rotates with the sealing keys.

The process's ring is set once at start (`use_key_ring`, from the settings); the models read
it through `key_ring()`.
"""

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise import fields
from tortoise.exceptions import ValidationError
from tortoise.models import Model
from tortoise.transactions import in_transaction

KEY_BYTES = 32
_NONCE_BYTES = 12
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Marks a stored value as sealed: the model's constructor passes plain values through the same
# conversion as the rows it loads.
SEALED = "sealed:"


class KeyRingMissing(RuntimeError):
    """Personal data was sealed or opened before the process set its key ring."""


class UnknownKey(ValueError):
    """A stored value names a key that is not in the ring (removed too early?)."""


@dataclass(frozen=True)
class KeyRing:
    """The sealing keys by id, the id new values are sealed with, and the lookup-hash key."""

    keys: Mapping[str, bytes]
    current: str
    hash_key: bytes

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ValueError(f"the current key id {self.current!r} is not in the ring")
        for key_id, key in self.keys.items():
            if not KEY_ID.match(key_id):
                raise ValueError(f"key id {key_id!r}: 1 to 32 of A-Z a-z 0-9 _ -")
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {key_id!r} must be {KEY_BYTES} bytes")
        if len(self.hash_key) != KEY_BYTES:
            raise ValueError(f"the hash key must be {KEY_BYTES} bytes")

    def seal(self, text: str, column: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, text.encode(), column.encode())
        return f"{SEALED}{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, stored: str, column: str) -> str:
        key_id, _, body = stored.removeprefix(SEALED).partition(":")
        key = self.keys.get(key_id)
        if key is None:
            raise UnknownKey(f"a value of {column} is sealed with key {key_id!r}, not in the ring")
        raw = base64.urlsafe_b64decode(body.encode())
        try:
            plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], column.encode())
        except InvalidTag as exc:
            raise UnknownKey(f"a value of {column} does not open with key {key_id!r}") from exc
        return plain.decode()

    def digest(self, kind: str, normalised: str) -> str:
        message = f"{kind}:{normalised}".encode()
        return hmac.new(self.hash_key, message, hashlib.sha256).hexdigest()


def key_id_of(stored: str) -> str:
    return stored.removeprefix(SEALED).partition(":")[0]


_ring: KeyRing | None = None


def use_key_ring(ring: KeyRing) -> None:
    """Sets the process's key ring (the app, the CLI and the tests call it at start)."""
    global _ring
    _ring = ring


def key_ring() -> KeyRing:
    if _ring is None:
        raise KeyRingMissing(
            "personal data needs the key ring: LMS_DATA_KEYS, LMS_DATA_KEY_ID and"
            " LMS_DATA_HASH_KEY (see lms_plugin/settings.py)"
        )
    return _ring


_SPACES = re.compile(r"[\s\-]")


def normalised_id_number(value: str) -> str:
    """身份证号 as compared: full-width forms folded (NFKC), spaces removed, the check
    character X in upper case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value)).upper()


def normalised_mobile(value: str) -> str:
    """A mobile as compared: NFKC, spaces and hyphens removed, the +86 / 0086 prefix dropped."""
    digits = _SPACES.sub("", unicodedata.normalize("NFKC", value))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


NORMALISERS = {"id_number": normalised_id_number, "mobile": normalised_mobile}


def lookup_digest(kind: str, value: str) -> str:
    """The keyed hash stored beside a personal value of `kind` (id_number, mobile)."""
    return key_ring().digest(kind, NORMALISERS[kind](value))


def _is_instance(instance: Any) -> bool:
    return isinstance(instance, Model)


class SealedField(fields.CharField):
    """Text kept sealed in the database and plain in Python: `person.id_number` reads and
    assigns as a string. Filtering or `.update()` on it is refused (a sealed value never
    equals another sealing of the same text): find rows by the hash column beside it."""

    skip_to_python_if_native = False

    def __init__(self, column: str, plain_max_length: int, **kwargs: Any) -> None:
        # Room for the key id, the nonce and the tag around a value of up to 64 characters.
        super().__init__(max_length=160, **kwargs)
        self.column = column
        self.plain_max_length = plain_max_length

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if value is None:
            return None
        if not _is_instance(instance):
            raise TypeError(
                f"{self.column} is sealed: filter by its hash (by_id_number) and save the"
                " model instead of a queryset update"
            )
        text = str(value)
        if len(text) > self.plain_max_length:
            # The message names the field and the lengths, never the value.
            raise ValidationError(
                f"{self.model_field_name}: Length of value {len(text)} > {self.plain_max_length}"
            )
        return key_ring().seal(text, self.column)

    def to_python_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(SEALED):
            return key_ring().open(value, self.column)
        return value


class Unopened:
    """A sealed value loaded but not opened: its attribute opens it on first read
    (`open_lazily`), so a row loaded on every request (the viewer) decrypts nothing that no
    one reads."""

    __slots__ = ("stored",)

    def __init__(self, stored: str) -> None:
        self.stored = stored


def unopened(stored: str | None) -> "Unopened | None":
    """A stored sealed value (or null) as an attribute of `open_lazily` takes it."""
    return None if stored is None else Unopened(stored)


class _Opening:
    """A sealed field's attribute: plain in Python, opened when an `Unopened` value is read."""

    def __init__(self, name: str, column: str) -> None:
        self.name = name
        self.column = column

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        try:
            value = instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        if isinstance(value, Unopened):
            value = instance.__dict__[self.name] = key_ring().open(value.stored, self.column)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.name] = value


def open_lazily(model: type[Model], *plain_rows: type) -> None:
    """Lets `model`'s sealed fields hold `Unopened` values (see `left_sealed`), and the same
    attributes of `plain_rows`, classes whose instances hold a row of `model` in their
    `__dict__` (a read model's, lighter than the model's instances)."""
    for name, field in model._meta.fields_map.items():
        if isinstance(field, SealedField):
            for kind in (model, *plain_rows):
                setattr(kind, name, _Opening(name, field.column))


def left_sealed(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    """`values` of a row read by hand, for `model._init_from_db`: the sealed ones `Unopened`
    when `model` opens lazily, so that a read model opens only what a field reads."""
    for name in opened_lazily(model):
        values[name] = unopened(values[name])
    return values


@cache
def opened_lazily(model: type[Model]) -> tuple[str, ...]:
    """The sealed fields of `model` that `open_lazily` set up: those a hand-read row leaves
    `Unopened` (`left_sealed`, `sql.plain_values_of`)."""
    return tuple(name for name, value in vars(model).items() if isinstance(value, _Opening))


class DigestField(fields.CharField):
    """The keyed hash of a sealed field of the same instance, computed as the row is written;
    a value given to a filter passes as it is (the caller computed it with `lookup_digest`)."""

    def __init__(self, of: str, kind: str, **kwargs: Any) -> None:
        super().__init__(max_length=64, **kwargs)
        self.of = of
        self.kind = kind

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if not _is_instance(instance):
            return value
        plain = getattr(instance, self.of)
        return None if plain is None else lookup_digest(self.kind, plain)


@dataclass
class Rotation:
    """What `reseal_batch` did so far: rows read, values sealed again, values already current."""

    rows: int = 0
    resealed: int = 0
    current: int = 0
    last_id: int = 0


SEALED_COLUMNS = ("id_number", "mobile")


async def reseal_batch(rotation: Rotation, size: int) -> bool:
    """Seals again, under the current key, the values of the next `size` people after
    `rotation.last_id` that another key sealed; one transaction per batch, so an interrupted
    rotation keeps what it did and resumes from `last_id`. False when no rows were left."""
    ring = key_ring()
    async with in_transaction() as client:
        postgres = client.capabilities.dialect == "postgres"
        lock = " FOR UPDATE" if postgres else ""
        marks = [f"${n}" for n in range(1, 4)] if postgres else ["?"] * 3
        rows = await client.execute_query_dict(
            f'SELECT "id", "id_number", "mobile" FROM "person" WHERE "id" > {marks[0]}'
            f' ORDER BY "id" LIMIT {marks[1]}{lock}',
            [rotation.last_id, size],
        )
        for row in rows:
            for column in SEALED_COLUMNS:
                stored = row[column]
                if stored is None:
                    continue
                if key_id_of(stored) == ring.current:
                    rotation.current += 1
                    continue
                resealed = ring.seal(ring.open(stored, f"person.{column}"), f"person.{column}")
                await client.execute_query(
                    f'UPDATE "person" SET "{column}" = {marks[0]} WHERE "id" = {marks[1]}',
                    [resealed, row["id"]],
                )
                rotation.resealed += 1
        rotation.rows += len(rows)
        if rows:
            rotation.last_id = rows[-1]["id"]
    return bool(rows)
