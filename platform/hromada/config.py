"""Configuration read from the environment, with safe development defaults.

Secrets are never defaults: in development they are generated once into the
instance folder (which is git-ignored); in production they must be given.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable deployment."""


def is_production(environ: os._Environ | dict) -> bool:
    return environ.get("HROMADA_ENV", "development").lower() == "production"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for every PostgreSQL URL (`postgres://` included)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret(instance_path: Path, name: str, nbytes: int = 32) -> str:
    """Read a development secret from the instance folder, creating it on first use."""
    path = instance_path / name
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


MASTER_KEY_BYTES = 32


def whole_number(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigurationError(f"{name} must be a whole number, 0 or more (it is {value!r}).")
    return number


def decode_master_key(value: str, name: str = "HROMADA_MASTER_KEY") -> bytes:
    """The 32 bytes of a master key written in base64url (padding optional).

    The error names the variable and what is wrong, never the value itself.
    """
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} is empty. Make a key with `flask --app hromada keys generate`.")
    text = value.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            f"{name} is not base64url text. Make a key with `flask --app hromada keys generate`."
        ) from None
    if len(raw) != MASTER_KEY_BYTES:
        raise ConfigurationError(
            f"{name} must hold {MASTER_KEY_BYTES} random bytes in base64url; it holds {len(raw)}. "
            "Make a key with `flask --app hromada keys generate`."
        )
    return raw


def master_key_list(value: str | list | tuple | None) -> list[str]:
    """HROMADA_PREVIOUS_MASTER_KEYS: comma-separated keys (or already a list)."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [item.strip() for item in items if item and item.strip()]


def redis_namespace(value: str | None) -> str:
    """HROMADA_REDIS_NAMESPACE: letters, digits, dashes and underscores (RQ allows no other in a job id)."""
    value = value or ""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", value):
        raise ConfigurationError(
            f"HROMADA_REDIS_NAMESPACE may hold only letters, digits, '-' and '_' (it is {value!r})."
        )
    return value


def plugin_allow_list(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def currency_list(value: str) -> list[str]:
    """`UAH,EUR,USD`: ISO 4217 codes, the first the default of money fields."""
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    if not codes or any(len(code) != 3 or not code.isascii() or not code.isalpha() for code in codes):
        raise ConfigurationError(f"HROMADA_CURRENCIES must list ISO 4217 codes such as UAH,EUR (it is {value!r}).")
    return codes


def time_zone(value: str) -> str:
    from hromada.times import is_known_zone

    value = value.strip()
    if not is_known_zone(value):
        raise ConfigurationError(f"HROMADA_TIMEZONE: {value!r} is not a time zone (an IANA name such as Europe/Kyiv).")
    return value


def from_environment(instance_path: Path, environ=os.environ) -> dict:
    """Build the Flask config mapping from environment variables."""
    production = is_production(environ)
    config: dict = {"HROMADA_ENV": "production" if production else "development"}

    database_url = environ.get("DATABASE_URL")
    if not database_url:
        if production:
            raise ConfigurationError("DATABASE_URL must be set when HROMADA_ENV=production.")
        database_url = f"sqlite:///{instance_path / 'hromada.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)

    config["REDIS_URL"] = environ.get("REDIS_URL") or None
    # Starts the name of every Redis key the app makes (the job queue, its jobs, the rate limits), so that
    # installations, or test runs, sharing one Redis database never touch each other's keys.
    config["HROMADA_REDIS_NAMESPACE"] = redis_namespace(environ.get("HROMADA_REDIS_NAMESPACE"))

    secret_key = environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigurationError("SECRET_KEY must be set when HROMADA_ENV=production.")
        secret_key = instance_secret(instance_path, "secret_key")
    config["SECRET_KEY"] = secret_key

    # The master key wraps each community's data key (hromada.modules.confidential).
    master_key = environ.get("HROMADA_MASTER_KEY")
    if not master_key:
        if production:
            raise ConfigurationError(
                "HROMADA_MASTER_KEY must be set when HROMADA_ENV=production "
                "(make one with `flask --app hromada keys generate`; keep it out of database backups)."
            )
        master_key = instance_secret(instance_path, "master_key")
    decode_master_key(master_key, "HROMADA_MASTER_KEY")
    config["HROMADA_MASTER_KEY"] = master_key
    # Signs the tenancy context for PostgreSQL's policies; unset: derived from SECRET_KEY (hromada.tenancy.signing).
    config["HROMADA_CONTEXT_KEY"] = environ.get("HROMADA_CONTEXT_KEY") or None
    # Older master keys, listed only while a rotation re-wraps the data keys they wrapped.
    previous = master_key_list(environ.get("HROMADA_PREVIOUS_MASTER_KEYS"))
    for position, key in enumerate(previous, start=1):
        decode_master_key(key, f"HROMADA_PREVIOUS_MASTER_KEYS (key {position})")
    config["HROMADA_PREVIOUS_MASTER_KEYS"] = previous

    config["HROMADA_PLUGINS"] = plugin_allow_list(environ.get("HROMADA_PLUGINS"))
    # Rate limits are shared by every process through Redis; in memory only without it.
    config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "memory://"
    # Redis down must not stop people signing in: the limits carry on in each process's memory
    # (Flask-Limiter logs the switch once, without personal data) and go back to Redis when it answers.
    config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    config["RATELIMIT_KEY_PREFIX"] = config["HROMADA_REDIS_NAMESPACE"]
    config["HROMADA_PROXY_COUNT"] = int(environ.get("HROMADA_PROXY_COUNT", "0"))
    for name in ("HROMADA_PAGE_CACHE_SIZE", "HROMADA_PAGE_CACHE_SECONDS", "HROMADA_JOB_LEASE_SECONDS",
                 "HROMADA_BACKUP_RETENTION_DAYS"):
        if environ.get(name):
            config[name] = whole_number(environ[name], name)
    if environ.get("HROMADA_TIMEZONE"):
        config["HROMADA_TIMEZONE"] = time_zone(environ["HROMADA_TIMEZONE"])
    if environ.get("HROMADA_CURRENCIES"):
        config["HROMADA_CURRENCIES"] = currency_list(environ["HROMADA_CURRENCIES"])
    # Passkeys (WebAuthn): the relying party is a domain name (browsers refuse an IP address) and the
    # origin the pages are served from. In development `make run`'s http://localhost:5000; in production
    # passkeys are offered only once both are set (authenticator apps work either way).
    rp_id = environ.get("HROMADA_WEBAUTHN_RP_ID") or (None if production else "localhost")
    config["HROMADA_WEBAUTHN_RP_ID"] = rp_id
    config["HROMADA_WEBAUTHN_ORIGIN"] = environ.get("HROMADA_WEBAUTHN_ORIGIN") or (
        f"https://{rp_id}" if production and rp_id else "http://localhost:5000")
    config["SESSION_COOKIE_SECURE"] = production
    if production:
        # __Host-: the browser sends it only over HTTPS, to this host, for every path (ASVS 3.4.4).
        config["SESSION_COOKIE_NAME"] = "__Host-hromada_session"
        config["HROMADA_DEVICE_COOKIE_NAME"] = "__Host-hromada_device"
    return config


DEFAULTS: dict = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "hromada_session",
    # hromada.modules.accounts.devices: the browsers a person signed in with.
    "HROMADA_DEVICE_COOKIE_NAME": "hromada_device",
    "WTF_CSRF_TIME_LIMIT": 3600 * 8,
    "BABEL_DEFAULT_LOCALE": "en",
    "HROMADA_LANGUAGES": ["en", "uk", "ru", "be"],
    # The zone times are shown in to a person who has not chosen one on their account page (hromada.times);
    # an event's or a course session's times are then shown in that event's own zone.
    "HROMADA_TIMEZONE": "Europe/Kyiv",
    # The currencies money fields offer (hromada.money.MoneyField); the first is the default.
    "HROMADA_CURRENCIES": ["UAH", "EUR", "USD", "PLN", "BYN"],
    # A pending job nobody renewed for this long (lost from Redis, killed mid-run) is sent again (hromada.jobs).
    "HROMADA_JOB_LEASE_SECONDS": 60,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # OWASP ASVS 3.3.2 (level 2): 30 minutes idle, 12 hours in all.
    "HROMADA_SESSION_IDLE_MINUTES": 30,
    "HROMADA_SESSION_ABSOLUTE_HOURS": 12,
    "HROMADA_INVITATION_DAYS": 7,
    # Rows per page of a programme's cohort overview.
    "HROMADA_COHORT_PAGE_SIZE": 50,
    # Rendered cohort and progress pages kept per web process (hromada.caching.pages): how many, how long.
    "HROMADA_PAGE_CACHE_SIZE": 256,
    "HROMADA_PAGE_CACHE_SECONDS": 60,
    # How long database backups are kept: an erase certificate says when the last backup holding
    # the erased community expires (hromada.modules.erasure).
    "HROMADA_BACKUP_RETENTION_DAYS": 35,
    "RATELIMIT_HEADERS_ENABLED": False,
}
