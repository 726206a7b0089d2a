"""Registers the people registry (residents, households, places, resident
categories) and the shared sensitive-field mechanism (``core.privacy``)
through the same hooks plugins use."""

from __future__ import annotations

from typing import Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from core.people.categories import CORE_CATEGORIES
from core.people.models import (
    Household,
    HouseholdMember,
    Place,
    Resident,
    ResidentCategory,
)
from core.privacy.models import AuditedRead


@hookimpl
def register_models() -> list[type]:
    return [Place, Household, Resident, HouseholdMember, ResidentCategory, AuditedRead]


@hookimpl
def register_graphql_types() -> list[type]:
    from core.people.schema import (
        HouseholdMemberType,
        HouseholdType,
        PlaceType,
        ResidentType,
    )
    from core.privacy.audited_schema import RecordReadType

    return [ResidentType, HouseholdType, HouseholdMemberType, PlaceType, RecordReadType]


@hookimpl
def register_query_fields() -> list[type]:
    from core.people.schema import PeopleQuery
    from core.privacy.audited_schema import AuditedRecordsQuery
    from core.privacy.schema import PrivacyQuery

    return [PeopleQuery, PrivacyQuery, AuditedRecordsQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.people.schema import PeopleMutation
    from core.privacy.schema import PrivacyMutation

    return [PeopleMutation, PrivacyMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.people.schema import (
        load_households,
        load_members,
        load_places,
        load_residents,
        member_paths,
    )

    return [
        NodeType("Resident", load_residents),
        NodeType("Household", load_households),
        NodeType("HouseholdMember", load_members, member_paths),
        NodeType("Place", load_places),
    ]


@hookimpl
def register_sensitive_fields() -> list[Any]:
    from core.people.sensitive import PEOPLE_SENSITIVE_FIELDS

    return list(PEOPLE_SENSITIVE_FIELDS)


@hookimpl
def register_resident_categories() -> list[Any]:
    return list(CORE_CATEGORIES)
