"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="性别。")
class Sex(Enum):
    MALE = strawberry.enum_value("male", description="男")
    FEMALE = strawberry.enum_value("female", description="女")


@strawberry.enum(description="人口类型（户籍或流动）。")
class ResidenceType(Enum):
    REGISTERED = strawberry.enum_value("registered", description="户籍")
    FLOATING = strawberry.enum_value("floating", description="流动")


@strawberry.enum(description="户别。")
class HouseholdKind(Enum):
    FAMILY = strawberry.enum_value("family", description="家庭户")
    COLLECTIVE = strawberry.enum_value("collective", description="集体户")


@strawberry.enum(description="场所类型。")
class PlaceKind(Enum):
    BUILDING = strawberry.enum_value("building", description="楼栋")
    ROOM = strawberry.enum_value("room", description="房屋")
    RENTAL_HOUSING = strawberry.enum_value("rental_housing", description="出租房屋")
    SHOP = strawberry.enum_value("shop", description="商铺")
    OTHER = strawberry.enum_value("other", description="其他")
