"""Configuration classes. Values come from the environment, read when a class is instantiated.

The embedded default (SQLite: no DATABASE_URL, as `make run`, or an sqlite:/// one) works with no settings at all.
A start on a database server must name its SECRET_KEY and BASE_URL, and refuses with one line naming the missing
setting otherwise.
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ko", "vi", "th", "id")


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """A start without a setting it needs; the message is one line that names the setting."""


class Config:
    """Production-shaped defaults; every secret and address comes from the environment."""

    TESTING = False

    def __init__(self, instance_path: str | os.PathLike | None = None) -> None:
        env = os.environ
        # INSTANCE_PATH lets a second copy (or a test server) keep its database and key elsewhere.
        instance = Path(env.get("INSTANCE_PATH") or instance_path or ROOT / "instance")
        self.INSTANCE_PATH = str(instance)
        self.SQLALCHEMY_DATABASE_URI = sqlalchemy_url(
            env.get("DATABASE_URL") or f"sqlite:///{instance / 'matchmaker.db'}"
        )
        # SQLite lives on this machine beside instance/, whose kept key every worker here shares; a database server
        # means a deployment, which names its own key and address.
        embedded = self.SQLALCHEMY_DATABASE_URI.startswith("sqlite:")
        self._secret_and_addresses(env, instance, embedded=embedded)
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
        # Without Redis the limits are kept in this process's memory instead of failing the page; a Redis that
        # does not answer within a second counts as gone (it is tried again after a few seconds).
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1} if self.REDIS_URL else {}
        # Failed sign-ins only: per account (the e-mail typed) and per network address, so that a venue's
        # Wi-Fi full of attendees signing in is never refused.
        self.SIGNIN_FAILURES_PER_ACCOUNT = env.get("SIGNIN_FAILURES_PER_ACCOUNT") or "10 per 15 minutes"
        self.SIGNIN_FAILURES_PER_NETWORK = env.get("SIGNIN_FAILURES_PER_NETWORK") or "100 per 15 minutes"
        # Account mail (registration, password reset, new confirmation link): per e-mail address and per
        # network address, so the forms cannot be used to flood someone's mailbox.
        self.ACCOUNT_MAILS_PER_EMAIL = env.get("ACCOUNT_MAILS_PER_EMAIL") or "5 per hour"
        self.ACCOUNT_MAILS_PER_NETWORK = env.get("ACCOUNT_MAILS_PER_NETWORK") or "50 per 15 minutes"
        self.SERVER_NAME = env.get("SERVER_NAME") or None
        self.PREFERRED_URL_SCHEME = env.get("PREFERRED_URL_SCHEME") or "http"
        self.SESSION_COOKIE_SECURE = _bool(env.get("SESSION_COOKIE_SECURE"))
        # Reverse proxies in front of the app (0: none); their X-Forwarded-* headers are then trusted, so
        # rate limits see each client's own address.
        self.PROXY_COUNT = int(env.get("PROXY_COUNT") or 0)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        # The recommender refitted from past outcomes (`flask recommender refit`); absent: default weights.
        self.RECOMMENDER_MODEL_PATH = env.get("RECOMMENDER_MODEL_PATH") or str(instance / "recommender-model.json")
        # Retention (`flask privacy retention`, run with the reminders): a person's data is erased this many years
        # after their last event day; a sent e-mail's body and recipient are emptied this many days after sending.
        self.PRIVACY_RETAIN_YEARS = int(env.get("PRIVACY_RETAIN_YEARS") or 3)
        self.MAIL_BODY_RETAIN_DAYS = int(env.get("MAIL_BODY_RETAIN_DAYS") or 90)
        # The privacy notice (/privacy): who is responsible for the data (the controller) and whom to write to.
        self.AGENCY_NAME = env.get("AGENCY_NAME") or "Matchmaker"
        self.PRIVACY_OFFICER_NAME = env.get("PRIVACY_OFFICER_NAME") or None
        self.PRIVACY_OFFICER_EMAIL = env.get("PRIVACY_OFFICER_EMAIL") or "privacy@matchmaker.local"

    def _secret_and_addresses(self, env, instance: Path, embedded: bool) -> None:
        """SECRET_KEY, BASE_URL and TRUSTED_HOSTS. The embedded default keeps a key of its own in instance/ (so every
        worker and every restart shares it) and serves 127.0.0.1; any other start must set both."""
        self.SECRET_KEY = env.get("SECRET_KEY") or (kept_secret_key(instance) if embedded else _missing(
            "SECRET_KEY", "a long random string shared by every web and job worker"))
        # Every link in an e-mail starts with BASE_URL, never with the Host header of the request that sent it.
        port = env.get("PORT") or "5000"
        self.BASE_URL = (env.get("BASE_URL") or (f"http://127.0.0.1:{port}" if embedded else _missing(
            "BASE_URL", "the public address, e.g. https://matchmaker.example.org"))).rstrip("/")
        if not urlsplit(self.BASE_URL).hostname or urlsplit(self.BASE_URL).scheme not in ("http", "https"):
            raise ConfigError(f"BASE_URL must be an http(s) address such as https://matchmaker.example.org, "
                              f"not {self.BASE_URL!r}.")
        self.TRUSTED_HOSTS = trusted_hosts(env.get("TRUSTED_HOSTS"), self.BASE_URL, embedded)

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
    ERASURE_TOKEN_MAX_AGE = 3 * 24 * 3600  # links that confirm a request to erase one's data: 3 days
    MAIL_MAX_ATTEMPTS = 8
    WEBHOOK_MAX_ATTEMPTS = 8  # about an hour of retries (tasks/webhooks.py backoff), then failed
    # Webhooks go to public addresses only: never to this machine, the office network or a cloud metadata address.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
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
            self.SQLALCHEMY_DATABASE_URI = sqlalchemy_url(url)
        # Hashing stays real but cheap, so hundreds of sign-ins keep the suite fast.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        self.MAIL_SERVER = None
        self.REDIS_URL = None
        self.JOBS_MODE = "inline"  # jobs finish before the request returns, so tests can assert on them
        self.INVITE_DIGEST_SECONDS = 0  # tests that check the digest set it themselves
        self.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the tests' receivers listen on 127.0.0.1
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.RATELIMIT_STORAGE_OPTIONS = {}
        self.SERVER_NAME = None

    def _secret_and_addresses(self, env, instance: Path, embedded: bool) -> None:
        # The test client's requests come to http://localhost, so links in mail and pages look alike.
        self.SECRET_KEY = "test-secret"
        self.BASE_URL = "http://localhost"
        self.TRUSTED_HOSTS = ["localhost", "127.0.0.1"]


def kept_secret_key(instance: Path) -> str:
    """The embedded default's key, made once in `instance/secret_key` (mode 0600) and read by every later start.

    Several workers may start at the same instant: each writes a candidate to a private temporary file and links
    it to the final name, which succeeds for exactly one (O_EXCL semantics, and never a half-written file); the
    others read the winner's key.
    """
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd, candidate = tempfile.mkstemp(dir=instance, prefix=".secret_key.")  # created 0600, O_CREAT|O_EXCL
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32))
                file.flush()
                os.fsync(file.fileno())
            try:
                os.link(candidate, path)
            except FileExistsError:
                pass  # another worker made it first: its key is the one
        finally:
            os.unlink(candidate)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a key others can read is no secret
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigError(f"{path} holds no usable SECRET_KEY: delete it to make a new one, or set SECRET_KEY.")
    return key


def trusted_hosts(value: str | None, base_url: str, embedded: bool) -> list[str] | None:
    """Host names requests may name (others answer 400): TRUSTED_HOSTS (comma-separated; "*" trusts any) and the
    host of BASE_URL; the embedded default adds localhost and 127.0.0.1."""
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    if names == ["*"]:
        return None
    base = urlsplit(base_url).hostname
    extra = ["localhost", "127.0.0.1"] if embedded and not names else []
    return list(dict.fromkeys([base, *names, *extra]))


def _missing(name: str, what: str):
    raise ConfigError(f"{name} is not set: set {name} ({what}); only the embedded default (SQLite) runs "
                      f"without it.")


def sqlalchemy_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
