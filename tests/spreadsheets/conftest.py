"""A street with a community (and its grid) and a second street, with
division codes, and office registers built in memory."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from core.app import Deployment
from core.org import service as org_service
from core.testing import active_sheet


@dataclass
class Tree:
    street: int
    community: int
    grid: int
    other_street: int


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: int | None, code: str | None = None) -> int:
            return org_service.create_unit(
                session, deployment.settings, name=name, level=level, parent_id=parent, division_code=code
            ).id

        city = add("青岛市", "city", None, "370200")
        district = add("市南区", "district", city, "370202")
        street = add("八大峡街道", "street", district, "370202001")
        community = add("团岛社区", "community", street, "370202001001")
        grid = add("团岛一网格", "grid", community)
        other_street = add("云南路街道", "street", district, "370202002")
        add("云南路社区", "community", other_street, "370202002001")
    return Tree(street=street, community=community, grid=grid, other_street=other_street)


def sheet_bytes(headers: list[str], rows: list[list[Any]], *, title: str | None = "团岛社区实有人口登记表") -> bytes:
    book = Workbook()
    sheet = active_sheet(book)
    if title:  # offices keep a title and a unit line above the header
        sheet.append([title])
        sheet.append(["填报单位：团岛社区"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
