"""Settings shared by every deployment. No secrets here: see prod.py and env.py."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.csp import CSP

from .env import env_bool, env_str

django_stubs_ext.monkeypatch()

WEB_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "vinculo.web.core",
    "vinculo.web.accounts",
    "vinculo.web.audit",
    "vinculo.web.exchange",
    "vinculo.web.jobs",
    "vinculo.web.estimates",
    "vinculo.web.cases",
    "vinculo.web.programmes",
    "vinculo.web.evidence",
    "vinculo.web.treaties",
    "vinculo.web.network",
    "vinculo.web.appraisal",
    "vinculo.web.trustfund",
    "vinculo.web.events",
    "vinculo.web.reports",
    "vinculo.web.linkage",
    "vinculo.web.guides",
]

MIDDLEWARE = [
    "vinculo.web.core.limits.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "vinculo.web.core.middleware.ChartNumbersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vinculo.web.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vinculo.web.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vinculo.web.urls"
WSGI_APPLICATION = "vinculo.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vinculo.web.core.context.platform",
            ],
        },
    }
]

# Passwords: argon2 first; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions expire after 8 hours of inactivity and when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (django-axes records failures; accounts/throttling.py decides), over one hour:
# 5 failures lock one account from one address; 10 lock an address across accounts; from 10 failures
# of one account across addresses a try waits 30 s, doubling per failure up to 15 minutes, except in a browser
# that signed in to it before. The client address is read through VINCULO_TRUSTED_PROXIES only.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused try is not counted again, so a back-off doubles per real guess, not per refusal.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "vinculo.web.accounts.throttling.SignInThrottleHandler"
AXES_LOCKOUT_CALLABLE = "vinculo.web.accounts.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "vinculo.web.accounts.throttling.canonical_username"
AXES_CLIENT_IP_CALLABLE = "vinculo.web.core.middleware.client_address"
AXES_VERBOSE = False
VINCULO_SIGN_IN_ADDRESS_LIMIT = 10
VINCULO_SIGN_IN_BACKOFF_AFTER = 10
VINCULO_SIGN_IN_BACKOFF_FIRST = 30
VINCULO_SIGN_IN_BACKOFF_MAX = 15 * 60
# Password-reset e-mails per hour: to one address (account) and asked from one client address. Over the
# limit the answer is the same "sent" page, and no e-mail goes out (no way to tell, no mailbox flooded).
VINCULO_PASSWORD_RESET_EMAIL_LIMIT = 3
VINCULO_PASSWORD_RESET_ADDRESS_LIMIT = 10
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); prod/dev read the environment.
VINCULO_TRUSTED_PROXIES: list[str] = []

# Two-factor sign-in (TOTP) for administrators and data managers: always on in production (prod.py);
# dev.py reads VINCULO_REQUIRE_TWO_FACTOR (default off, for the demo); test.py turns it off.
VINCULO_REQUIRE_TWO_FACTOR = True
OTP_TOTP_ISSUER = "vinculo"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# The six official languages of the United Nations.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "vinculo_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
# Development serves static files from the apps (WHITENOISE_USE_FINDERS); production collects them.
STATIC_ROOT: str | None = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Password-reset mail is printed to the console unless production configures SMTP.
MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = "vinculo <no-reply@localhost>"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy on every response (docs/security/web.md). Pages carry no inline script or style,
# so scripts and styles come only from our own static files; no nonce is needed. data: images are the
# icons inside the API documentation's style sheet. VINCULO_CSP_REPORT_ONLY=1 sends the same policy as
# Content-Security-Policy-Report-Only instead (to try a change); VINCULO_CSP_REPORT_URI adds report-uri.
VINCULO_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if env_str("VINCULO_CSP_REPORT_URI", ""):
    VINCULO_CSP["report-uri"] = [env_str("VINCULO_CSP_REPORT_URI")]
SECURE_CSP: dict[str, list[str]] = {} if env_bool("VINCULO_CSP_REPORT_ONLY") else VINCULO_CSP
SECURE_CSP_REPORT_ONLY: dict[str, list[str]] = VINCULO_CSP if env_bool("VINCULO_CSP_REPORT_ONLY") else {}

# The site's public address, for links written outside a request (report PDFs made by commands and
# jobs); a request's own address is used when there is one.
VINCULO_SITE_URL = env_str("VINCULO_SITE_URL", "http://127.0.0.1:8000/")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads may hold victims' data: kept in memory up to the case-file limit, never spooled to the
# system temporary directory; bigger ones are refused with the sizes (vinculo.web.cases.uploads).
FILE_UPLOAD_HANDLERS = ["vinculo.web.cases.uploads.MemoryOnlyUploadHandler"]

# Background jobs run as tasks of Django's tasks framework. The embedded default keeps the queue in the
# platform's own database (django-tasks-db); prod.py switches to Redis when VINCULO_REDIS_URL is set.
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
VINCULO_JOBS_BACKEND = "default"

# How long an API token stays valid unless revoked.
VINCULO_TOKEN_DAYS = 90
# Appraisal of the Global Plan of Action: aggregates of answers are shown (dashboard, API, reports) only
# when at least this many organisations submitted the questionnaires they count (2 at the least).
VINCULO_APPRAISAL_MIN_ORGANISATIONS = 3
PLATFORM_NAME = "vinculo"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
