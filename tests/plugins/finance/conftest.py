"""Fixtures of the finance tests: a deployment with the plugin enabled and a
community whose committee posts are held by signed-in users.

青岛市 → 市南区 → 八大关街道 → {太平角社区, 湛山社区}. At 太平角社区: the
party organization (secretary 书记), the residents' committee (chair 主任,
vice-chair 副主任 held by the community worker, accountant 会计, cashier
出纳) and the supervision committee (supervisor 监督员); street_leader and
street_staff at the street. The books are open since 1 January of last year
with 1,000 yuan cash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service as auth_service
from core.auth.permissions import Principal
from core.org import service as org_service
from core.org.models import OrgUnit
from core.people import service as people_service
from core.policy.service import local_today
from core.posts import service as posts
from plugins.finance import service
from plugins.finance.models import FinanceAccount, FinanceCategory
from tests.conftest import SignedIn, SignIn, plugin_deployment
from tests.meetings.helpers import assembly_resolution

TODAY = local_today()
OPENED = date(TODAY.year - 1, 1, 1)
POST_START = date(TODAY.year - 3, 1, 1)


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "finance")


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


@dataclass
class World:
    deployment: Deployment
    sign_in: SignIn
    city: int
    district: int
    street: int
    community: int
    other_community: int
    party: int
    committee: int
    supervision: int
    residents: dict[str, int]
    users: dict[str, SignedIn]
    cash: int = 0
    bank: int = 0
    categories: dict[str, int] = field(default_factory=dict)

    def principal(self, session: Session, name: str) -> Principal:
        user_id = self.users[name].user_id if name in self.users else int(name)
        found = auth_service.principal_for_user(session, user_id)
        assert found is not None
        return found

    def extra_user(self, role: str, unit_id: int, *, resident: str | None = None) -> SignedIn:
        """A user holding ``role`` at ``unit_id``, optionally linked to one of the residents."""
        signed = self.sign_in(role, unit_id)
        if resident is not None:
            with self.deployment.session_factory() as session, session.begin():
                from core.auth.models import User

                user = session.get(User, signed.user_id)
                assert user is not None
                user.resident_id = self.residents[resident]
        return signed

    def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a service function in its own committed transaction; returns its result's id when it has one."""
        with self.deployment.session_factory() as session, session.begin():
            result = fn(session, *args, **kwargs)
            return result

    def act(self, name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(session, principal_of(name), *args)`` in one committed transaction."""
        with self.deployment.session_factory() as session, session.begin():
            result = fn(session, self.principal(session, name), *args, **kwargs)
            session.flush()
            return result.id if hasattr(result, "id") else result

    def unit(self, session: Session, unit_id: int | None = None) -> OrgUnit:
        return org_service.get_unit(session, unit_id or self.community)

    # --- shortcuts ------------------------------------------------------------------

    def doc(self, fen: int, day: date | None = None, kind: str = "invoice") -> service.Document:
        return service.Document(kind, f"NO{fen}", "青岛文具商行", day or TODAY, fen)

    def request(
        self, amount: str, *, by: str = "worker", documents: bool = True, account: str = "cash", category: str = "501"
    ) -> int:
        fen = service.to_fen(Decimal(amount))
        with self.deployment.session_factory() as session, session.begin():
            unit = self.unit(session)
            request = service.create_request(
                session,
                self.principal(session, by),
                unit,
                title=f"开支 {amount} 元",
                amount_fen=fen,
                category_id=self.categories[category],
                account_id=self.cash if account == "cash" else self.bank,
                documents=[self.doc(fen)] if documents else [],
            )
            return request.id

    def approve_all(self, request_id: int) -> None:
        """Walk the chain with the right people."""
        with self.deployment.session_factory() as session:
            chain = service.get_request(session, request_id).chain
        for step in chain["steps"]:
            if step == "chair":
                self.act("chair", service.approve_step, request_id)
            elif step == "street":
                self.act("street_leader", service.approve_step, request_id)
            elif step == "filing":
                self.act("street_staff", service.approve_step, request_id)
            elif step == "assembly":
                self.act(
                    "chair",
                    service.record_resolution,
                    request_id,
                    number="代〔2026〕1号",
                    resolution_id=self.assembly_resolution(),
                )
            else:
                self.act(
                    "chair",
                    service.record_resolution,
                    request_id,
                    meeting_date=TODAY,
                    number="村〔2026〕1号",
                    representatives=9,
                    attendance=7,
                    votes_for=5,
                )

    def assembly_resolution(self, **kwargs: Any) -> int:
        """An adopted resolution of the community's representatives' assembly (a core meeting)."""
        with self.deployment.session_factory() as session, session.begin():
            return assembly_resolution(session, self.unit(session), held_on=TODAY, **kwargs)

    def sign_all(self, request_id: int) -> None:
        with self.deployment.session_factory() as session:
            roles = service.get_request(session, request_id).chain["signatures"]
        signer = {"handler": "worker", "chair": "chair", "secretary": "secretary", "vice_chair": "worker"}
        for role in roles:
            self.act(signer[role], service.sign, request_id, role=role)

    def paid(self, amount: str, **kwargs: Any) -> int:
        request_id = self.request(amount, **kwargs)
        self.approve_all(request_id)
        self.sign_all(request_id)
        self.act("cashier", service.pay, request_id)
        return request_id

    def income(self, amount: str, day: date, *, category: str = "401", account: str = "bank") -> int:
        fen = service.to_fen(Decimal(amount))
        with self.deployment.session_factory() as session, session.begin():
            entry = service.post_income(
                session,
                self.principal(session, "accountant"),
                self.unit(session),
                account_id=self.cash if account == "cash" else self.bank,
                category_id=self.categories[category],
                amount_fen=fen,
                entry_date=day,
                summary="上级拨付经费",
                documents=[self.doc(fen, day, "receipt")],
            )
            return entry.id


ROLES = {
    "accountant": "accountant",
    "cashier": "cashier",
    "chair": "committee_chair",
    "secretary": "party_secretary",
    "worker": "community_worker",
    "supervisor": "supervisor",
}
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "孙丽")


@pytest.fixture
def level_codes() -> tuple[str, str, str, str]:
    """Codes of the city, district, street and community levels; a module
    testing a deployment of townships and villages overrides it."""
    return ("city", "district", "street", "community")


@pytest.fixture
def world(deployment: Deployment, sign_in: SignIn, level_codes: tuple[str, str, str, str]) -> World:
    settings = deployment.settings
    city_level, district_level, street_level, community_level = level_codes
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: Any) -> Any:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent.id if parent else None
            )

        city = add("青岛市", city_level, None)
        district = add("市南区", district_level, city)
        street = add("八大关街道", street_level, district)
        community = add("太平角社区", community_level, street)
        other = add("湛山社区", community_level, street)
        residents = {n: people_service.register_resident(session, name=n, org_unit_id=community.id).id for n in NAMES}
        party = posts.create_body(
            session, org_unit_id=community.id, kind="party_organization", name="太平角社区党委"
        ).id
        committee = posts.create_body(
            session, org_unit_id=community.id, kind="residents_committee", name="太平角社区居民委员会"
        ).id
        supervision = posts.create_body(
            session, org_unit_id=community.id, kind="supervision_committee", name="太平角社区居务监督委员会"
        ).id
        ids = (city.id, district.id, street.id, community.id, other.id)
    users = {name: sign_in(role, ids[3]) for name, role in ROLES.items()}
    users["street_leader"] = sign_in("street_leader", ids[2])
    users["street_staff"] = sign_in("street_staff", ids[2])
    world = World(deployment, sign_in, *ids, party, committee, supervision, residents, users)
    holders = (
        (party, "secretary", "secretary", "张伟"),
        (committee, "chair", "chair", "王芳"),
        (committee, "vice_chair", "worker", "李娜"),
        (committee, "accountant", "accountant", "刘洋"),
        (committee, "cashier", "cashier", "陈静"),
        (supervision, "supervisor", "supervisor", "杨帆"),
    )
    with deployment.session_factory() as session, session.begin():
        for body, post, user, resident in holders:
            posts.assign(
                session,
                body_id=body,
                post_code=post,
                resident_id=residents[resident],
                term_start=POST_START,
                user_id=users[user].user_id,
            )
        posts.assign(
            session, body_id=committee, post_code="member", resident_id=residents["赵磊"], term_start=POST_START
        )
        unit = org_service.get_unit(session, ids[3])
        service.open_books(
            session, world.principal(session, "accountant"), unit, opened_on=OPENED, cash_opening_fen=100_000
        )
        accounts = {
            a.code: a.id for a in session.scalars(select(FinanceAccount).where(FinanceAccount.org_unit_id == unit.id))
        }
        world.cash, world.bank = accounts["1001"], accounts["1002"]
        world.categories = {
            c.code: c.id for c in session.scalars(select(FinanceCategory).where(FinanceCategory.org_unit_id == unit.id))
        }
    return world
