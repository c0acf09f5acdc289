"""Settings shared by every environment; everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config import storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "customers",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.RejectNulCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.UserTimeZone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into a clear answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: scripts only from our own static files (no inline scripts, no
# CDN); styles from our files (inline style attributes allowed for the admin and Swagger UI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins, within AXES_COOLOFF_TIME (15 minutes), lock out for that long:
# - AXES_FAILURE_LIMIT (5) for one username from one address lock that pair;
# - AXES_ADDRESS_FAILURE_LIMIT (20) across any usernames from one address lock that address,
#   for every username (one client guessing many accounts).
# The address is the one the public rate limits use (customers.ratelimit.client_ip: the hop
# the trusted proxy appended to X-Forwarded-For), not REMOTE_ADDR, which behind the proxy is
# the same for everyone and would let anyone lock a colleague out. Attempts are kept in the
# database, so this works without Redis. The answer to a locked-out login is axes' 429.
AXES_CLIENT_IP_CALLABLE = "customers.ratelimit.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
# No "AXES: BEGIN version ..." banner each time a command or server starts.
AXES_VERBOSE = False


AXES_LOCKOUT_PARAMETERS = "complaints.access.lockout_parameters"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env():
    """Read DATABASE_URL; the embedded default is SQLite tuned for concurrent writers."""
    db = env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # Without IMMEDIATE a second writer fails with "database table is locked"
        # instead of waiting its turn.
        db.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    else:
        db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
        if db["ENGINE"] == "django.db.backends.postgresql":
            # The desk's queries are short. PostgreSQL's JIT compiles any plan whose estimate
            # passes jit_above_cost (the weekly report's per-complaint subqueries do) and the
            # compiling took longer than the query: 0.8 s of a 1.9 s report at 1,000,000
            # complaints. DATABASE_JIT=on gives it back.
            jit = "on" if env.bool("DATABASE_JIT", default=False) else "off"
            db.setdefault("OPTIONS", {}).setdefault("options", f"-c jit={jit}")
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
# Order matters: a bare "zh" (or an unknown zh-XX) falls back to the first Chinese entry,
# Simplified; zh-TW, zh-HK, zh-MO and zh-Hant-* reach zh-hant through Django's LANG_INFO.
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (complaint attachments): on this machine's disk under var/media/ by default;
# in any S3-compatible store (AWS S3, MinIO, ...) when STORAGE_URL or AWS_STORAGE_BUCKET_NAME
# is set, so that several web machines share them (config.storage). The media folder is
# never served as is: every file goes out through a view that checks who may read it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": storage.from_env(env, MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Email: EMAIL_URL (smtp://user:pass@host:587 and friends) wins over EMAIL_BACKEND.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CLEAR Desk <complaints@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env("REDIS_URL", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "complaints.api.authentication.TokenWithRolesAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["complaints.access.HasRole"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "complaints.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "complaints.api.errors.exception_handler",
    # JSON only: one body format, typed as the schema says.
    "DEFAULT_PARSER_CLASSES": ["complaints.api.parsers.TypedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CLEAR Desk API",
    "DESCRIPTION": "Log customer complaints and walk them through Control, Listen, "
    "Establish, Apologize and Resolve.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["complaints.access.HasRole"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ResolutionEnum": "complaints.models.Resolution",
        "ContactPreferenceEnum": "complaints.models.ContactPreference",
        "StageEnum": "complaints.models.Stage",
        "ChannelEnum": "complaints.models.Channel",
        "SeverityEnum": "complaints.models.Severity",
        "PreventiveActionStatusEnum": "complaints.models.PreventiveAction.Status",
        "CompensationRequestStatusEnum": "complaints.models.CompensationRequest.Status",
        "SystemicIssueStatusEnum": "complaints.models.SystemicIssue.Status",
        "VulnerabilityKindEnum": "customers.models.Vulnerability.Kind",
        "RedressStatusEnum": "complaints.models.Redress.Status",
        "RedressMethodEnum": "complaints.models.Redress.Method",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that
# `make run` works on a laptop with nothing else installed.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Producers too (a task published from a worker or a shell) fail within ~2 s when Redis is down or
# stuck, instead of hanging: connect/read timeouts here, a short publish retry policy below.
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": 3600,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control", "results"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    CELERY_RESULT_BACKEND = f"file://{_broker_dir / 'results'}"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 4xx (a PermissionDenied, a bad Host) is one warning line, without a traceback.
    "filters": {"client_errors_in_one_line": {"()": "config.log_filters.ClientErrorsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_in_one_line"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's own console handler (DEBUG only) would print each django.* record a second
    # time beside the root's: let them reach the root's handler alone.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# The port `make run` serves on (PORT=8123 make run); links in emails follow it unless
# SITE_URL is set.
PORT = env.int("PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}")  # links in emails

# Product settings
CLEAR_DESK = {
    "REFERENCE_PREFIX": env("REFERENCE_PREFIX", default="CLR"),
    "OUTBOX_CLAIM_SECONDS": env.int("OUTBOX_CLAIM_SECONDS", default=300),
    # Where links in emails to customers point (tracking page, survey).
    "SITE_URL": SITE_URL,
    # Value tiers: rank by "revenue" or "profit" over the trailing number of days.
    "TIER_MEASURE": env("TIER_MEASURE", default="revenue"),
    "TIER_PERIOD_DAYS": env.int("TIER_PERIOD_DAYS", default=365),
    # Lifetime value = (1 / yearly churn) x (yearly profit - yearly cost) - acquisition cost.
    "LTV_YEARLY_CHURN": env.float("LTV_YEARLY_CHURN", default=0.10),
    "LTV_ACQUISITION_COST": env.float("LTV_ACQUISITION_COST", default=75),
    "LTV_YEARLY_COST": env.float("LTV_YEARLY_COST", default=0),
    # The public complaint form: submissions per client IP per window (seconds).
    "PUBLIC_SUBMIT_LIMIT": env.int("PUBLIC_SUBMIT_LIMIT", default=10),
    "PUBLIC_SUBMIT_WINDOW": env.int("PUBLIC_SUBMIT_WINDOW", default=3600),
    # Tracking and survey links: unknown tokens per client IP per window before a 429.
    "PUBLIC_LOOKUP_MISS_LIMIT": env.int("PUBLIC_LOOKUP_MISS_LIMIT", default=20),
    "PUBLIC_LOOKUP_WINDOW": env.int("PUBLIC_LOOKUP_WINDOW", default=600),
    # How many reverse proxies put their address in X-Forwarded-For (0: use REMOTE_ADDR).
    "TRUSTED_PROXY_COUNT": env.int("TRUSTED_PROXY_COUNT", default=0),
    # Who signs the thank-you letter.
    "LETTER_SIGNATORY": env("LETTER_SIGNATORY", default="Li Wei"),
    "LETTER_SIGNATORY_TITLE": env("LETTER_SIGNATORY_TITLE", default="General Manager"),
    "COMPANY_NAME": env("COMPANY_NAME", default="CLEAR Desk"),
    # Where the final response sends a customer who is not happy with it, until an active
    # referral text is kept in the admin (Referral texts); English and Chinese.
    "REFERRAL_TEXT": env(
        "REFERRAL_TEXT",
        default=(
            "If you are not happy with our answer, write back to us quoting your reference and a "
            "manager who was not involved will look at it again. You can also turn to your local "
            "consumer association, or call the national consumer hotline 12315; in the UK, the "
            "Financial Ombudsman Service takes complaints within six months of this letter."
        ),
    ),
    "REFERRAL_TEXT_ZH": env(
        "REFERRAL_TEXT_ZH",
        default=(
            "如果您对我们的答复不满意，请引用您的编号回复我们，将由一位未参与处理的经理重新审查。"
            "您也可以向当地消费者协会求助，或拨打全国消费者投诉热线 12315。"
        ),
    ),
    # How a customer reaches the desk once replies on the tracking page are closed.
    "DESK_PHONE": env("DESK_PHONE", default=""),
    "DESK_EMAIL": env("DESK_EMAIL", default=""),
    # Replies on the tracking page: per client IP per window (seconds), like the public form.
    "PUBLIC_REPLY_LIMIT": env.int("PUBLIC_REPLY_LIMIT", default=10),
    "PUBLIC_REPLY_WINDOW": env.int("PUBLIC_REPLY_WINDOW", default=3600),
    # A satisfaction score at or below this escalates the complaint, even closed, and
    # counts as dissatisfied in the weekly report.
    "LOW_SATISFACTION_AT_MOST": env.int("LOW_SATISFACTION_AT_MOST", default=2),
    # A vulnerable customer's service levels: this share of every target (0.5 = half the time).
    "VULNERABLE_SLA_FACTOR": env.float("VULNERABLE_SLA_FACTOR", default=0.5),
    # On PostgreSQL each beat of the deadline sweep fans out to this many lane tasks.
    "SWEEP_LANES": env.int("SWEEP_LANES", default=2),
    # Phones typed without a country code are read as numbers of this region (ISO 3166 code).
    "PHONE_DEFAULT_REGION": env("PHONE_DEFAULT_REGION", default="CN"),
    # Intake warns of a repeat when the customer complained about the same category or
    # product within this many days (complaints.workflow.repeats).
    "REPEAT_WINDOW_DAYS": env.int("REPEAT_WINDOW_DAYS", default=30),
}
# Attachments (complaints.workflow.attachments): what a file's bytes may be, and how much.
CLEAR_DESK["ATTACHMENT_TYPES"] = env.list(
    "ATTACHMENT_TYPES",
    default=[
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "application/pdf",
        "audio/mpeg",
        "audio/mp4",
        "audio/x-wav",
        "audio/ogg",
        "text/plain",
        "text/csv",
    ],
)
CLEAR_DESK["ATTACHMENT_MAX_BYTES"] = env.int("ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
CLEAR_DESK["ATTACHMENT_COMPLAINT_MAX_BYTES"] = (
    env.int("ATTACHMENT_COMPLAINT_MAX_MB", default=50) * 1024 * 1024
)
# Files a customer may send at once (the public form, their tracking page).
CLEAR_DESK["ATTACHMENT_CUSTOMER_MAX_FILES"] = env.int("ATTACHMENT_CUSTOMER_MAX_FILES", default=5)
# Files in one upload request (Django refuses more with a 400 before any view runs).
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
# A body larger than a complaint may ever hold is refused (413) before it is read.
FILE_UPLOAD_HANDLERS = [
    "config.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Public holidays for the business calendar (python-holidays country code; "" for none).
CLEAR_DESK["HOLIDAY_COUNTRY"] = env("HOLIDAY_COUNTRY", default="CN")
CLEAR_DESK["HOLIDAY_SUBDIVISION"] = env("HOLIDAY_SUBDIVISION", default="")

# Weekly root-cause report and preventive actions.
CLEAR_DESK_REPORTS = {
    # When the weekly report for the week just ended is published (in TIME_ZONE).
    "PUBLISH_DAY_OF_WEEK": env("REPORT_PUBLISH_DAY_OF_WEEK", default="mon"),
    "PUBLISH_HOUR": env.int("REPORT_PUBLISH_HOUR", default=7),
    "PUBLISH_MINUTE": env.int("REPORT_PUBLISH_MINUTE", default=0),
    # A cause seen in at least this many of the last five weeks "keeps coming back".
    "RECURRING_WEEKS": 3,
    "PREVENTIVE_ACTION_DUE_DAYS": env.int("PREVENTIVE_ACTION_DUE_DAYS", default=30),
}
# Holds (waiting for the customer or a third party): the customer is reminded after this many
# days on hold, and after HOLD_MAX_DAYS the complaint comes off hold by itself, flagged.
HOLD_REMINDER_DAYS = env.int("HOLD_REMINDER_DAYS", default=5)
HOLD_MAX_DAYS = env.int("HOLD_MAX_DAYS", default=14)


# Systemic issues: a suggestion needs this many similar complaints from different customers
# within seven days; "similar" content has a trigram similarity of at least SYSTEMIC_SIMILARITY.
SYSTEMIC_MIN_COMPLAINTS = env.int("SYSTEMIC_MIN_COMPLAINTS", default=5)
SYSTEMIC_SIMILARITY = env.float("SYSTEMIC_SIMILARITY", default=0.3)
# Compensation above this amount needs a supervisor's approval before a complaint closes.
COMPENSATION_APPROVAL_ABOVE = env.str("COMPENSATION_APPROVAL_ABOVE", default="200")
