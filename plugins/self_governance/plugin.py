"""Hook implementations: what the residents' self-governance plugin (居民自治) adds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from plugins.self_governance import meeting_kinds
from plugins.self_governance.declarations import (
    OBLIGATION_TYPES,
    PERMISSIONS,
    POLICY_KEYS,
)
from plugins.self_governance.models import MODELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_migration_locations() -> list[str]:
    return [str(VERSIONS_DIR)]


@hookimpl
def register_permissions() -> list[Any]:
    return list(PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    return [*POLICY_KEYS, *meeting_kinds.POLICY_KEYS]


@hookimpl
def register_obligation_types() -> list[Any]:
    return [*OBLIGATION_TYPES, *meeting_kinds.OBLIGATION_TYPES]


@hookimpl
def register_meeting_kinds() -> list[Any]:
    return [*meeting_kinds.MEETING_KINDS, *meeting_kinds.ATTACHED]


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.self_governance.appraisals_schema import DemocraticAppraisalType
    from plugins.self_governance.community_schema import (
        BuildingHeadNominationType,
        ResidentInitiativeType,
    )
    from plugins.self_governance.elections_schema import (
        CommitteeElectionType,
        CommitteeRecallType,
        ElectionCandidateType,
    )
    from plugins.self_governance.hearings_schema import (
        HearingType,
        SelfGovernanceTextType,
        SelfGovernanceTextVersionType,
    )

    return [
        CommitteeElectionType,
        ElectionCandidateType,
        CommitteeRecallType,
        BuildingHeadNominationType,
        ResidentInitiativeType,
        HearingType,
        SelfGovernanceTextType,
        SelfGovernanceTextVersionType,
        DemocraticAppraisalType,
    ]


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.self_governance.appraisals_schema import AppraisalQuery
    from plugins.self_governance.community_schema import CommunityQuery
    from plugins.self_governance.elections_schema import ElectionQuery
    from plugins.self_governance.hearings_schema import HearingQuery
    from plugins.self_governance.representatives_schema import RepresentativesQuery

    return [ElectionQuery, CommunityQuery, HearingQuery, RepresentativesQuery, AppraisalQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.self_governance.appraisals_schema import AppraisalMutation
    from plugins.self_governance.community_schema import CommunityMutation
    from plugins.self_governance.elections_schema import ElectionMutation
    from plugins.self_governance.hearings_schema import HearingMutation
    from plugins.self_governance.representatives_schema import RepresentativesMutation

    return [ElectionMutation, CommunityMutation, HearingMutation, RepresentativesMutation, AppraisalMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.self_governance import appraisals_schema as appraisals
    from plugins.self_governance import community_schema as community
    from plugins.self_governance import elections_schema as elections
    from plugins.self_governance import hearings_schema as hearings

    return [
        NodeType("CommitteeElection", elections.load_elections),
        NodeType("ElectionCandidate", elections.load_candidates, elections.candidate_paths),
        NodeType("CommitteeRecall", elections.load_recalls),
        NodeType("BuildingHeadNomination", community.load_nominations),
        NodeType("ResidentInitiative", community.load_initiatives),
        NodeType("Hearing", hearings.load_hearings),
        NodeType("SelfGovernanceText", hearings.load_texts),
        NodeType("SelfGovernanceTextVersion", hearings.load_text_versions),
        NodeType("DemocraticAppraisal", appraisals.load_appraisals),
    ]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.self_governance.demo import load_demo_self_governance

    load_demo_self_governance(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "居民自治"
