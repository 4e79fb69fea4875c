"""Load the demo into an empty database: offices, organizations and their users, role accounts, events.

Everything is fictional and reproducible: every choice comes from one `random.Random(SEED)`. Only the
event dates move, placed relative to the day of loading so that a demo always has two upcoming days and
one past day. The caller commits, e.g. `load_demo(db.session); db.session.commit()`.
"""

import json
import random
from datetime import UTC, datetime
from importlib import resources

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from matchmaker.demo.programs import add_days
from matchmaker.domain import consent_texts
from matchmaker.enums import OrgKind, Role
from matchmaker.models import Consent, Office, Organization, User

SEED = 2027

DEMO_MEMBER_PASSWORD = "demo-member-2027"  # every company and partner user not listed below
ADMIN_EMAIL = "admin@matchmaker.example"
ADMIN_PASSWORD = "demo-admin-2027"
STAFF_SV_EMAIL = "staff.sv@matchmaker.example"
STAFF_JKT_EMAIL = "staff.jkt@matchmaker.example"
STAFF_PASSWORD = "demo-staff-2027"
COMPANY_EMAIL = "company@matchmaker.example"  # the user of the first company in companies.json
COMPANY_PASSWORD = "demo-company-2027"
PARTNER_EMAIL = "partner@matchmaker.example"  # the user of the first US investor in partners.json
PARTNER_PASSWORD = "demo-partner-2027"

# (e-mail, password, role, who it is): for the README and for whoever runs a demo.
DEMO_ACCOUNTS = (
    (ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN, "administrator"),
    (STAFF_SV_EMAIL, STAFF_PASSWORD, Role.STAFF, "staff of the Silicon Valley office"),
    (STAFF_JKT_EMAIL, STAFF_PASSWORD, Role.STAFF, "staff of the Jakarta office"),
    (
        COMPANY_EMAIL,
        COMPANY_PASSWORD,
        Role.COMPANY,
        "DeepVision Lab (주식회사 딥비전랩), a Korean AI company",
    ),
    (PARTNER_EMAIL, PARTNER_PASSWORD, Role.PARTNER, "Golden Gate Frontier Capital, a San Francisco VC"),
)

# name, city, timezone, locale, e-mail
OFFICES = (
    ("Silicon Valley", "San Jose", "America/Los_Angeles", "en", "sv@matchmaker.example"),
    ("Singapore", "Singapore", "Asia/Singapore", "en", "sg@matchmaker.example"),
    ("Jakarta", "Jakarta", "Asia/Jakarta", "id", "jkt@matchmaker.example"),
    ("Ho Chi Minh City", "Ho Chi Minh City", "Asia/Ho_Chi_Minh", "vi", "hcmc@matchmaker.example"),
    ("Bangkok", "Bangkok", "Asia/Bangkok", "th", "bkk@matchmaker.example"),
    ("Kuala Lumpur", "Kuala Lumpur", "Asia/Kuala_Lumpur", "en", "kl@matchmaker.example"),
)

# e-mail, name, role, office, locale, timezone
STAFF = (
    (ADMIN_EMAIL, "Matchmaker Admin", Role.ADMIN, None, "en", "Asia/Seoul"),
    (STAFF_SV_EMAIL, "이서연", Role.STAFF, "Silicon Valley", "ko", "America/Los_Angeles"),
    (STAFF_JKT_EMAIL, "Putri Lestari", Role.STAFF, "Jakarta", "en", "Asia/Jakarta"),
)


class DemoDataExists(RuntimeError):
    """The database is not empty; the demo would mix with real data."""


def demo_is_needed(session) -> bool:
    """True when the database has neither organizations nor users."""
    has_orgs = session.scalar(sa.select(Organization.id).limit(1)) is not None
    has_users = session.scalar(sa.select(User.id).limit(1)) is not None
    return not (has_orgs or has_users)


def load_demo(session, now: datetime | None = None) -> dict[str, int]:
    """Add the demo to `session` (flushed, not committed) and return how many of each thing it made."""
    if not demo_is_needed(session):
        raise DemoDataExists(
            "the database already has organizations or users; the demo loads only into an empty one"
        )
    now = now or datetime.now(UTC)
    rng = random.Random(SEED)

    offices = {
        name: Office(name=name, city=city, timezone=zone, locale=locale, email=email)
        for name, city, zone, locale, email in OFFICES
    }
    session.add_all(offices.values())
    company_profiles, partner_profiles = read_profiles("companies.json"), read_profiles("partners.json")
    companies = [_organization(p) for p in company_profiles]
    partners = [_organization(p) for p in partner_profiles]
    session.add_all(companies + partners)
    profiles = company_profiles + partner_profiles
    members = _add_members(session, list(zip(companies + partners, profiles, strict=True)))
    staff = _add_staff(session, offices)
    session.flush()  # ids: requests, seats and meeting uids refer to them

    counts = add_days(session, rng, now, offices, companies, partners, members, staff)
    return {
        "offices": len(offices),
        "companies": len(companies),
        "investors": sum(p.kind == OrgKind.INVESTOR for p in partners),
        "buyers": sum(p.kind == OrgKind.BUYER for p in partners),
        "users": len(members) + len(staff),
        **counts,
    }


def read_profiles(filename: str) -> list[dict]:
    with resources.files("matchmaker.demo").joinpath("data", filename).open(encoding="utf-8") as f:
        return json.load(f)


def _organization(profile: dict) -> Organization:
    ticket_min, ticket_max = profile.get("ticket_usd") or (None, None)
    return Organization(
        external_id=profile["id"],
        kind=OrgKind(profile["kind"]),
        name=profile["name"],
        name_latin=profile.get("name_latin"),
        country=profile["country"],
        website=profile["website"],
        sectors=profile["sectors"],
        stages=profile["stages"],
        description=profile["description"],
        markets=profile["markets"],
        languages=profile["languages"],
        timezone=profile["timezone"],
        ticket_min_usd=ticket_min,
        ticket_max_usd=ticket_max,
        existing_investors=profile.get("existing_investors", []),
        portfolio=profile.get("portfolio", []),
        phone=profile["contact"]["phone"],
    )


def _add_members(session, orgs_and_profiles: list[tuple[Organization, dict]]) -> dict[str, User]:
    """One user per organization, keyed by the organization's external id."""
    # scrypt is slow on purpose (~0.1 s a hash); hashing the shared member password once keeps loading fast.
    member_hash = generate_password_hash(DEMO_MEMBER_PASSWORD)
    first_company = next(o for o, _ in orgs_and_profiles if o.kind == OrgKind.COMPANY)
    first_us_investor = next(
        o for o, _ in orgs_and_profiles if o.kind == OrgKind.INVESTOR and o.country == "US"
    )
    members = {}
    for org, profile in orgs_and_profiles:
        contact = profile["contact"]
        email, password_hash = contact["email"], member_hash
        if org is first_company:
            email, password_hash = COMPANY_EMAIL, generate_password_hash(COMPANY_PASSWORD)
        elif org is first_us_investor:
            email, password_hash = PARTNER_EMAIL, generate_password_hash(PARTNER_PASSWORD)
        members[org.external_id] = User(
            email=email.lower(),
            password_hash=password_hash,
            name=contact["name"],
            role=Role.COMPANY if org.kind == OrgKind.COMPANY else Role.PARTNER,
            locale="ko" if org.country == "KR" else "en",
            timezone=org.timezone,
            organization=org,
            verified=True,
        )
    session.add_all(members.values())
    # The demo's people agreed to the texts of the day they registered (the demo's "now" is the loading time).
    session.add_all(Consent(user=user, kind=text.kind, version=text.version)
                    for user in members.values() for text in consent_texts.TEXTS.values() if text.required)
    return members


def _add_staff(session, offices: dict[str, Office]) -> dict[str, User]:
    """The admin and the office staff, keyed by e-mail."""
    hashes = {ADMIN_EMAIL: generate_password_hash(ADMIN_PASSWORD)}
    staff_hash = generate_password_hash(STAFF_PASSWORD)
    staff = {
        email: User(
            email=email,
            password_hash=hashes.get(email, staff_hash),
            name=name,
            role=role,
            office=offices[office] if office else None,
            locale=locale,
            timezone=zone,
            verified=True,
        )
        for email, name, role, office, locale, zone in STAFF
    }
    session.add_all(staff.values())
    return staff
