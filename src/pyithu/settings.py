"""Pyithu settings: every value comes from the environment, with safe laptop defaults.

Development (the default) runs on SQLite with secrets generated into ``var/``.
``PYITHU_MODE=production`` refuses to start without a real secret key, and the
system checks in ``pyithu.core.checks`` refuse a missing key file.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (docker/systemd style)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


MODE = env("PYITHU_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("PYITHU_MODE must be 'development' or 'production'")
PRODUCTION = MODE == "production"
DEBUG = envbool("PYITHU_DEBUG", False) and not PRODUCTION
VAR_DIR = Path(env("PYITHU_VAR_DIR", str(PROJECT_DIR / "var")))


def _owner_only(path: Path, mode: int) -> None:
    """Create ``path`` (a directory for 0o700) readable by its owner only, or tighten it."""
    if mode == 0o700:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(mode)


def _development_secret_key() -> str:
    # A laptop gets its own random key, kept beside its database, never in the repo.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        _owner_only(VAR_DIR, 0o700)
        _owner_only(path, 0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = envsecret("PYITHU_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set PYITHU_SECRET_KEY (or PYITHU_SECRET_KEY_FILE).")
    SECRET_KEY = _development_secret_key()

# Keys for sealed fields live outside the database: a key file, or the JSON itself in the env.
PYITHU_KEY_FILE = Path(env("PYITHU_KEY_FILE", str(VAR_DIR / "keys.json")))
PYITHU_KEYS_JSON = envsecret("PYITHU_KEYS")
PYITHU_SITE_NAME = env("PYITHU_SITE_NAME", "Pyithu")

ALLOWED_HOSTS = [h for h in env("PYITHU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("PYITHU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Served as a Tor onion service too (decision 0027): the .onion host is allowed, and its forms
# post from http://<host>.onion (Tor encrypts the link; there is no certificate).
ONION_HOST = env("PYITHU_ONION_HOST", "").strip().lower()
if ONION_HOST:
    ALLOWED_HOSTS.append(ONION_HOST)
    CSRF_TRUSTED_ORIGINS.append(f"http://{ONION_HOST}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "pyithu.core",
    "pyithu.accounts",
    "pyithu.geo",
    "pyithu.outbox",
    "pyithu.portal",
    "pyithu.health",
    "pyithu.education",
    "pyithu.finance",
    "pyithu.sync",
    "pyithu.chat",
    "pyithu.sms",
    "pyithu.operations",
]

MIDDLEWARE = [
    # Outermost: request metrics and the request log (no personal data, decision 0081).
    "pyithu.operations.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Compresses HTML and JSON for browsers that ask (decision 0070).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pyithu.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pyithu.core.middleware.RefuseUnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pyithu.urls"
WSGI_APPLICATION = "pyithu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pyithu.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pyithu.sqlite3'}"),
        conn_max_age=envint("PYITHU_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The laptop's database and everything in var/ are for this user alone (SQLite gives its
    # -wal and -shm files the database file's permissions); `check` warns if they are not.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(_sqlite_file) != ":memory:" and not str(_sqlite_file).startswith("file:"):
        if _sqlite_file.parent == VAR_DIR or not _sqlite_file.parent.exists():
            _owner_only(_sqlite_file.parent, 0o700)
        _owner_only(_sqlite_file, 0o600)
    # WAL and a busy timeout let a laptop serve a township's phones without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["pyithu.accounts.backends.HandleRoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("PYITHU_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("PYITHU_REDIS_URL"),
    }

# Languages. Burmese is the default; ethnic languages Django does not know are declared here
# and fall back to Burmese (the default language) where a string is not yet translated.
LANG_INFO.update(
    {
        "ksw": {"bidi": False, "code": "ksw", "name": "S'gaw Karen", "name_local": "ကညီကျိာ်"},
        "shn": {"bidi": False, "code": "shn", "name": "Shan", "name_local": "လိၵ်ႈတႆး"},
        "mnw": {"bidi": False, "code": "mnw", "name": "Mon", "name_local": "ဘာသာမန်"},
        "cnh": {"bidi": False, "code": "cnh", "name": "Hakha Chin", "name_local": "Laiholh"},
        "kac": {"bidi": False, "code": "kac", "name": "Jinghpaw", "name_local": "Jinghpaw ga"},
    }
)
LANGUAGE_CODE = "my"
LANGUAGES = [
    ("my", _("Burmese")),
    ("en", _("English")),
    ("ksw", _("S'gaw Karen")),
    ("shn", _("Shan")),
    ("mnw", _("Mon")),
    ("cnh", _("Hakha Chin")),
    ("kac", _("Jinghpaw")),
]
# Scripts that share the Myanmar Unicode block but must never pass the Zawgyi converter.
PYITHU_NO_ZAWGYI_LANGUAGES = ("ksw", "shn", "mnw")
# The project catalogue (makemessages writes here) and Django messages Django lacks in Burmese.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Date formats Django lacks for Burmese (pyithu/formats/my/formats.py).
FORMAT_MODULE_PATH = ["pyithu.formats"]
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Yangon"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("PYITHU_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env("PYITHU_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if PRODUCTION else 3600
# A laptop serves static files straight from the apps; production serves collected ones.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# A form that fails keeps what was typed; uploads above this are refused with a clear message.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("PYITHU_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security. Citizen sessions last a working day; staff sessions end sooner.
SESSION_COOKIE_AGE = envint("PYITHU_SESSION_SECONDS", 12 * 3600)
PYITHU_STAFF_SESSION_SECONDS = envint("PYITHU_STAFF_SESSION_SECONDS", 4 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pyithu.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": a browser then sends the real Origin on our own form posts (with "no-referrer" it
# sends "Origin: null" and Django's CSRF check refuses every form), and nothing to other sites.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # A process serving only a Tor onion service may turn these off (decision 0027): Tor Browser
    # keeps Secure cookies on http://….onion, other onion clients may not.
    SESSION_COOKIE_SECURE = envbool("PYITHU_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = envbool("PYITHU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("PYITHU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("PYITHU_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling: this many failures per handle or per address within the window lock it.
PYITHU_LOGIN_MAX_FAILURES = envint("PYITHU_LOGIN_MAX_FAILURES", 5)
PYITHU_LOGIN_WINDOW_SECONDS = envint("PYITHU_LOGIN_WINDOW_SECONDS", 15 * 60)
# Addresses (or networks) of the reverse proxies in front of the app servers: only from these
# is X-Forwarded-For believed (decision 0071). Empty: the connecting address is the client.
PYITHU_TRUSTED_PROXIES = envlist("PYITHU_TRUSTED_PROXIES", "")
# Citizen pages: HTML plus CSS, gzip-compressed, must fit this many bytes.
PYITHU_PAGE_BUDGET_BYTES = envint("PYITHU_PAGE_BUDGET_BYTES", 14 * 1024)

# Chat and SMS channels (docs/decisions/0060-telegram-bot.md, 0061-sms.md). Empty means off:
# messages for a channel with no gateway wait in the outbox.
PYITHU_PUBLIC_URL = env("PYITHU_PUBLIC_URL", "")
PYITHU_TELEGRAM_TOKEN = envsecret("PYITHU_TELEGRAM_TOKEN")
PYITHU_TELEGRAM_API_URL = env("PYITHU_TELEGRAM_API_URL", "https://api.telegram.org")
PYITHU_TELEGRAM_WEBHOOK_SECRET = envsecret("PYITHU_TELEGRAM_WEBHOOK_SECRET")
# Messages a person may send in one minute before the bot stops answering for the rest of it.
PYITHU_TELEGRAM_RATE_PER_MINUTE = envint("PYITHU_TELEGRAM_RATE_PER_MINUTE", 20)
PYITHU_SMS_NUMBER = env("PYITHU_SMS_NUMBER", "")
PYITHU_SMS_GATEWAY_URL = env("PYITHU_SMS_GATEWAY_URL", "")
PYITHU_SMS_GATEWAY_TOKEN = envsecret("PYITHU_SMS_GATEWAY_TOKEN")
PYITHU_SMS_INBOUND_TOKEN = envsecret("PYITHU_SMS_INBOUND_TOKEN")
PYITHU_SMS_GATEWAY_TIMEOUT = envint("PYITHU_SMS_GATEWAY_TIMEOUT", 10)
PYITHU_SMS_SEGMENT_PRICE = envint("PYITHU_SMS_SEGMENT_PRICE", 15)
PYITHU_SMS_CURRENCY = env("PYITHU_SMS_CURRENCY", "MMK")

# Operations (docs/OPERATIONS.md, decisions 0080 and 0081). Backups go to this directory,
# encrypted to the recovery public key PYITHU_BACKUP_RECIPIENT (read by `pyithu backup`).
PYITHU_BACKUP_DIR = env("PYITHU_BACKUP_DIR", "")
# /metrics answers a direct loopback connection, or anyone with this bearer token.
PYITHU_METRICS_TOKEN = envsecret("PYITHU_METRICS_TOKEN")
# /readyz reports outbox and sync lag; past these many seconds (0: never) it answers 503.
PYITHU_READY_OUTBOX_LAG_SECONDS = envint("PYITHU_READY_OUTBOX_LAG_SECONDS", 0)
PYITHU_READY_SYNC_LAG_SECONDS = envint("PYITHU_READY_SYNC_LAG_SECONDS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PYITHU_LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request: method, route name, status, time, a daily keyed digest of the
        # client's address. PYITHU_REQUEST_LOG=WARNING turns it off.
        "pyithu.request": {"level": env("PYITHU_REQUEST_LOG", "INFO")},
    },
}
