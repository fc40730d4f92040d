"""mdmhub settings: everything comes from the environment, with defaults that run locally without any server."""

from pathlib import Path

from .env import database_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MDMHUB_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "canonical",
    "matching",
    "connectors",
]

MIDDLEWARE = [
    "mdmhub.middleware.CorrelationIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves admin and API-docs assets under gunicorn too (DEBUG off), without a separate file server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "mdmhub.urls"
WSGI_APPLICATION = "mdmhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mdmhub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mdmhub.sqlite3'}"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while a worker writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (make run, tests) whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True

# Bodies above this size are refused with 413 before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MDMHUB_MAX_BODY_BYTES", 2_621_440)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "canonical.api.auth.SystemTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["mdmhub.parsers.HubJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "mdmhub.negotiation.HubContentNegotiation",
    "EXCEPTION_HANDLER": "mdmhub.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "mdmhub API",
    "DESCRIPTION": "Golden records, cross-references, ingest and change feed of the mdmhub master-data hub.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "mdmhub.openapi.problem_responses"],
}

# Celery. With no broker configured the hub uses a broker kept in files under var/, so a local run
# still has real worker processes without any server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Exchange bindings (fanout for remote control); kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
# Reliability: a message is acknowledged only after its task finished (acks_late), and put back when the worker
# process dies mid-task (reject_on_worker_lost), so a SIGKILLed worker's task runs again elsewhere; prefetch 1 keeps a
# dying worker from taking other tasks down with it. Tasks are idempotent, so running twice is harmless. What the
# broker itself loses (a Redis restart without persistence, a message published while it was down) is covered by the
# database: every delivery's state is in PostgreSQL and the beat sweeper re-dispatches anything due every few
# seconds, so the broker only decides how soon work happens, never whether.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers keep the JSON log lines (with correlation IDs) configured below instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing while the broker is down fails fast instead of blocking a request; the sweeper sends it later.
CELERY_BROKER_CONNECTION_MAX_RETRIES = env_int("MDMHUB_BROKER_MAX_RETRIES", 3)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **globals().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    # Redis: an unacknowledged message goes back to the queue after this long (a lost worker's task).
    "visibility_timeout": env_int("MDMHUB_BROKER_VISIBILITY_TIMEOUT", 300),
    "max_retries": 3,
}
CELERY_TASK_SOFT_TIME_LIMIT = env_int("MDMHUB_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("MDMHUB_TASK_TIME_LIMIT", 90)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Outbound deliveries (connectors/): retries, dead letters, leases, audit window, per-system protection.
MDMHUB_DELIVERY_MAX_ATTEMPTS = env_int("MDMHUB_DELIVERY_MAX_ATTEMPTS", 8)
MDMHUB_DELIVERY_BACKOFF_BASE = env_float("MDMHUB_DELIVERY_BACKOFF_BASE", 1.0)
MDMHUB_DELIVERY_BACKOFF_CAP = env_float("MDMHUB_DELIVERY_BACKOFF_CAP", 300.0)
MDMHUB_DELIVERY_LEASE_SECONDS = env_int("MDMHUB_DELIVERY_LEASE_SECONDS", 60)
MDMHUB_DELIVERY_BATCH = env_int("MDMHUB_DELIVERY_BATCH", 200)
MDMHUB_DELIVERY_CONCURRENCY = env_int("MDMHUB_DELIVERY_CONCURRENCY", 16)
MDMHUB_DELIVERY_SWEEP_SECONDS = env_float("MDMHUB_DELIVERY_SWEEP_SECONDS", 5.0)
MDMHUB_DELIVERY_SWEEP_FANOUT = env_int("MDMHUB_DELIVERY_SWEEP_FANOUT", 4)
MDMHUB_DELIVERY_AUDIT_DAYS = env_int("MDMHUB_DELIVERY_AUDIT_DAYS", 7)
MDMHUB_CIRCUIT_FAILURES = env_int("MDMHUB_CIRCUIT_FAILURES", 5)
MDMHUB_CIRCUIT_COOLDOWN = env_float("MDMHUB_CIRCUIT_COOLDOWN", 30.0)

# Platform connectors (connectors/platforms/): credential keys (see connectors/credentials.py), how often beat looks
# for systems whose pull is due and for webhook events not yet processed.
MDMHUB_CREDENTIAL_KEYS = env_list("MDMHUB_CREDENTIAL_KEYS", [])
MDMHUB_PULL_SWEEP_SECONDS = env_float("MDMHUB_PULL_SWEEP_SECONDS", 5.0)
MDMHUB_PULL_LEASE_SECONDS = env_int("MDMHUB_PULL_LEASE_SECONDS", 300)
MDMHUB_WEBHOOK_MAX_BYTES = env_int("MDMHUB_WEBHOOK_MAX_BYTES", 1_000_000)
# The live standing API waits this long for the ERP before answering with stored facts marked stale.
MDMHUB_STANDING_TIMEOUT = env_float("MDMHUB_STANDING_TIMEOUT", 2.0)

# How long an Idempotency-Key answer is kept.
MDMHUB_IDEMPOTENCY_TTL_HOURS = env_int("MDMHUB_IDEMPOTENCY_TTL_HOURS", 24)
# How long a system token's lookup is cached in each process; revoking a token takes at most this long.
MDMHUB_TOKEN_CACHE_SECONDS = env_int("MDMHUB_TOKEN_CACHE_SECONDS", 30)

# Mounts the baseline views bench/xref_bench.py compares the API with. Never needed in production.
MDMHUB_BENCH_VIEWS = env_bool("MDMHUB_BENCH_VIEWS", False)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "mdmhub.logging.CorrelationIdFilter"}},
    "formatters": {"json": {"()": "mdmhub.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["correlation"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
