"""Production settings. Every secret comes from the environment; start-up fails naming what is missing.

Required: VINCULO_SECRET_KEY, VINCULO_DATABASE_URL, VINCULO_ALLOWED_HOSTS, VINCULO_ENCRYPTION_KEYS,
VINCULO_AUDIT_KEYS.
"""

from __future__ import annotations

from .base import *  # noqa: F403
from .database import database_from_url
from .env import env_bool, env_list, env_str
from .scaleout import checked_job_queue, checked_redis_url, redis_caches, redis_tasks

DEBUG = False
# Not switchable off in production: administrators and data managers always give a second factor.
VINCULO_REQUIRE_TWO_FACTOR = True
SECRET_KEY = env_str("VINCULO_SECRET_KEY")
ALLOWED_HOSTS = env_list("VINCULO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("VINCULO_CSRF_TRUSTED_ORIGINS", ",")
DATABASES = {"default": database_from_url(env_str("VINCULO_DATABASE_URL"), conn_max_age=600)}
VINCULO_ENCRYPTION_KEYS = env_list("VINCULO_ENCRYPTION_KEYS")
VINCULO_AUDIT_KEYS = env_list("VINCULO_AUDIT_KEYS")

# Several web and worker processes: cache, sessions and (unless VINCULO_JOB_QUEUE=database) the job queue
# on Redis. Without VINCULO_REDIS_URL: per-process memory cache, sessions and jobs in the database.
VINCULO_REDIS_URL = env_str("VINCULO_REDIS_URL", "")
_job_queue = checked_job_queue(
    "VINCULO_JOB_QUEUE",
    env_str("VINCULO_JOB_QUEUE", "redis" if VINCULO_REDIS_URL else "database"),
    VINCULO_REDIS_URL,
)
if VINCULO_REDIS_URL:
    checked_redis_url("VINCULO_REDIS_URL", VINCULO_REDIS_URL)
    _prefix = env_str("VINCULO_REDIS_PREFIX", "vinculo")
    CACHES = redis_caches(VINCULO_REDIS_URL, _prefix)
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
    if _job_queue == "redis":
        TASKS = redis_tasks(VINCULO_REDIS_URL, _prefix)
MEDIA_ROOT = env_str("VINCULO_MEDIA_ROOT", "/var/lib/vinculo/media")
STATIC_ROOT = env_str("VINCULO_STATIC_ROOT", "/var/lib/vinculo/static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

VINCULO_TRUSTED_PROXIES = env_list("VINCULO_TRUSTED_PROXIES", ",")
SECURE_SSL_REDIRECT = env_bool("VINCULO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
MAILERS = {
    "default": {
        "BACKEND": env_str("VINCULO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("VINCULO_EMAIL_HOST", "localhost"),
            "port": int(env_str("VINCULO_EMAIL_PORT", "587")),
            "username": env_str("VINCULO_EMAIL_USER", ""),
            "password": env_str("VINCULO_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("VINCULO_EMAIL_TLS", True),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("VINCULO_FROM_EMAIL", "vinculo <no-reply@localhost>")
