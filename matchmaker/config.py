"""Configuration classes. Values come from the environment, read when a class is instantiated."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ko", "vi", "th", "id")


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-shaped defaults; every secret and address comes from the environment."""

    TESTING = False

    def __init__(self, instance_path: str | os.PathLike | None = None) -> None:
        env = os.environ
        instance = Path(instance_path or ROOT / "instance")
        self.INSTANCE_PATH = str(instance)
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            env.get("DATABASE_URL") or f"sqlite:///{instance / 'matchmaker.db'}"
        )
        # An unset SECRET_KEY gets a random per-process key: sessions then end at restart,
        # which is safe for the embedded default; deployments must set it (see README).
        self.SECRET_KEY = env.get("SECRET_KEY") or secrets.token_hex(32)
        self.MAIL_SERVER = env.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(env.get("MAIL_PORT") or 25)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = _bool(env.get("MAIL_USE_TLS"))
        self.MAIL_USE_SSL = _bool(env.get("MAIL_USE_SSL"))
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER") or "Matchmaker <no-reply@matchmaker.local>"
        self.MAIL_OUTBOX_DIR = env.get("MAIL_OUTBOX_DIR") or str(instance / "outbox")
        self.REDIS_URL = env.get("REDIS_URL") or None
        # "rq" (needs REDIS_URL), "thread" or "inline"; empty: rq when REDIS_URL is set, else thread.
        self.JOBS_MODE = env.get("JOBS_MODE") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT") or "10 per minute"
        self.SERVER_NAME = env.get("SERVER_NAME") or None
        # Links in e-mails sent from the CLI or a background job (inside a request, its own address is used).
        self.BASE_URL = env.get("BASE_URL") or "http://127.0.0.1:5000"
        self.PREFERRED_URL_SCHEME = env.get("PREFERRED_URL_SCHEME") or "http"
        self.SESSION_COOKIE_SECURE = _bool(env.get("SESSION_COOKIE_SECURE"))
        # Reverse proxies in front of the app (0: none); their X-Forwarded-* headers are then trusted, so
        # rate limits see each client's own address.
        self.PROXY_COUNT = int(env.get("PROXY_COUNT") or 0)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        # The recommender refitted from past outcomes (`flask recommender refit`); absent: default weights.
        self.RECOMMENDER_MODEL_PATH = env.get("RECOMMENDER_MODEL_PATH") or str(instance / "recommender-model.json")

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Werkzeug reads a request body whole; past this size the request is refused (413) before anything reads it.
    # Uploads of participants are capped lower by their form (5 MB), with a message of their own.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    LANGUAGES = LANGUAGES
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600  # e-mail verification links: 3 days
    RESET_TOKEN_MAX_AGE = 2 * 3600  # password reset links: 2 hours
    INVITE_TOKEN_MAX_AGE = 14 * 24 * 3600  # first-password links for imported accounts: 14 days
    MAIL_MAX_ATTEMPTS = 8
    PASSWORD_HASH_METHOD = "scrypt"
    # Invites wait this long before sending, so that several quick changes go out as one update.
    INVITE_DIGEST_SECONDS = 60


class TestConfig(Config):
    """For the test suite: the database comes from TEST_DATABASE_URL (SQLite file by default)."""

    TESTING = True

    def __init__(self, instance_path=None, database_url: str | None = None) -> None:
        super().__init__(instance_path)
        url = database_url or os.environ.get("TEST_DATABASE_URL")
        if url:
            self.SQLALCHEMY_DATABASE_URI = _database_url(url)
        self.SECRET_KEY = "test-secret"
        # Hashing stays real but cheap, so hundreds of sign-ins keep the suite fast.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        self.MAIL_SERVER = None
        self.REDIS_URL = None
        self.JOBS_MODE = "inline"  # jobs finish before the request returns, so tests can assert on them
        self.INVITE_DIGEST_SECONDS = 0  # tests that check the digest set it themselves
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SERVER_NAME = None


def _database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
