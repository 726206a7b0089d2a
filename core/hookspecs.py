"""Every hook a Jiceng plugin can implement.

One namespace, ``jiceng``, is used for the markers, the plugin manager and the
entry-point group ``jiceng.plugins``. A plugin is a module (or object) that
implements some of these hooks with ``@hookimpl``; implementing a hook that is
not specified here is rejected when the plugin host starts.

Hooks are named by family: ``register_*`` hooks return things the host
collects from every enabled plugin (lists are flattened, ``None`` is ignored);
``load_*`` hooks act on data.

The specifications below are never called (pluggy reads only their names
and parameters), so their bodies are just the documentation. Their return
types say what an implementation may return; an implementation that has
nothing to add returns ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import argparse

    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings

PROJECT_NAME = "jiceng"
ENTRY_POINT_GROUP = "jiceng.plugins"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_models() -> list[type] | None:
    """Return the SQLAlchemy model classes (subclasses of ``core.db.Base``)
    this plugin owns.

    Called when the host builds the metadata of a deployment. Only tables of
    enabled plugins are created, migrated and compared; a plugin that is not
    enabled has no tables.
    """


@hookspec
def register_migration_locations() -> list[str] | None:
    """Return directories holding this plugin's alembic revisions.

    Called by ``jiceng migrate`` and the migration checks. A plugin's revisions
    form one alembic branch: ``branch_labels`` is the plugin name and its root
    revision ``depends_on`` a core revision. Only enabled plugins' revisions
    are applied, so enabling a plugin later creates only its tables; an
    installed but disabled plugin's locations are only read, to understand a
    version table written while it was enabled.
    """


@hookspec
def register_graphql_types() -> list[type] | None:
    """Return strawberry types that must be in the schema even when no field
    reaches them directly (for example ``Node`` implementations).

    Called once when the schema is assembled.
    """


@hookspec
def register_query_fields() -> list[type] | None:
    """Return strawberry ``@type`` classes whose fields are merged into the
    root ``Query`` type.

    Called once when the schema is assembled. Field names must be unique
    across core and all enabled plugins; a clash stops start-up.
    """


@hookspec
def register_mutation_fields() -> list[type] | None:
    """Return strawberry ``@type`` classes whose fields are merged into the
    root ``Mutation`` type.

    Each mutation takes one ``input`` argument and returns a payload with
    ``userErrors``; use ``core.api.mutations.atomic`` so that it runs in one
    transaction. Check the caller's permission at the unit it changes with
    ``core.auth.permissions.require``: ``atomic`` returns the refusal as a
    user error with code FORBIDDEN and audits it.
    """


@hookspec
def register_node_types() -> list[Any] | None:
    """Return ``core.api.relay.NodeType`` entries: which strawberry type a
    global ID names, and how to load its objects.

    Called once when the schema is assembled; ``node(id:)`` resolves only
    types registered here. The loader of a type that is not public returns
    only the objects the caller may see (``core.auth.permissions.scope_condition``).
    """


@hookspec
def register_permissions() -> list[Any] | None:
    """Return ``core.auth.permissions.Permission`` declarations (code and
    Chinese description) this plugin checks. A plugin's codes start with its
    name and a dot; ``default_roles`` names the built-in roles that carry the
    permission by default (``core.auth.roles``).

    Called at start-up. A plugin that is not enabled declares no permissions.
    """


@hookspec
def register_sensitive_fields() -> list[Any] | None:
    """Return ``core.privacy.SensitiveField`` declarations: the fields of
    this plugin's GraphQL types that hold sensitive personal information
    (PIPL: ID numbers, phone numbers, health, criminal history ...).

    Each names the GraphQL type and field, a Chinese label, the permission
    code that reveals the clear value, the mask function and how to load the
    value with the object's org unit path. The GraphQL field itself must
    always return the masked value (``declaration.mask``); the clear value
    is only returned by the ``revealSensitiveField`` mutation, to a caller
    holding the permission at the object's unit (or, when the declaration
    gives ``own_record`` and ``own_permission``, to the object's own
    subject holding that permission), and every reveal is audited with the
    stated purpose. Called when a request first needs the
    declarations; a (type, field) pair declared twice or an undeclared
    permission code stops the request with a clear message.
    """


@hookspec
def register_audited_record_types() -> list[Any] | None:
    """Return ``core.privacy.audited.AuditedRecordType`` declarations: record
    types of this plugin that are sensitive as a whole (a woman's marriage,
    pregnancy and contraception record, a birth) and whose every read —
    list, node, export — is audited with who, what, when and the purpose the
    caller states.

    Each names the GraphQL type, a Chinese label, the model, the one
    permission that reads it and the column naming the resident the record
    is about. Register the node type with
    ``core.privacy.audited.audited_node_type(declaration)``: ``node(id:)``
    then answers null to everyone without the permission where the record
    belongs (as for a missing object), refuses a permitted reader who states
    no purpose, and reads through ``auditedNode(id:, purpose:)`` are logged.
    List and export resolvers take a required purpose and call
    ``core.privacy.audited.log_rows`` (one audit record per page, naming the
    ids, and one batched insert into ``audited_read``) before returning the
    rows. A resident sees their own records (``myAuditedRecords``) and every
    read of them (``myRecordReads``). Such records are never put in search
    results or on the public board; counts are the plugin's business.
    Called when a request first needs the declarations; a type declared
    twice or an undeclared permission stops there.
    """


@hookspec
def register_grid_event_handlers() -> list[Any] | None:
    """Return ``core.grid_events.GridEventHandler`` entries: the grid events
    (八必报: ``new_pregnancy``, ...) this plugin takes over when the module
    that records grid events routes one to it.

    Each names the event type and a ``handle(session, notice)`` function
    receiving a ``core.grid_events.GridEventNotice`` (unit, resident, day,
    reporting user) and returning the Chinese routing note; it runs in the
    reporting transaction and only where the handling plugin is active at
    the event's unit (``core.grid_events.dispatch``). A handler opens a
    service follow-up, never a sanction, and keeps the report's description
    out of its own records unless it needs it.
    """


@hookspec
def register_resident_categories() -> list[Any] | None:
    """Return ``core.people.categories.CategoryDeclaration`` entries: categories of
    residents this plugin attaches (独居老人, 育龄妇女 ...), with a Chinese
    name and whether the category is sensitive.

    Residents stay in core; a plugin marks them with its categories instead
    of keeping its own copy. A plugin's category codes start with the
    plugin's name and a dot (``elderly.living_alone``). Sensitive categories
    are listed and shown only to callers holding ``people.view_sensitive``.
    """


@hookspec
def register_notice_categories() -> list[Any] | None:
    """Return ``core.board.categories.NoticeCategory`` entries: categories of
    notices this plugin publishes on public boards (公开栏), with a Chinese
    name, besides core's government_affairs (政务), community_affairs
    (居务/村务), finance (财务), party_affairs (党务) and other.

    A plugin's category codes start with the plugin's name and a dot
    (``elderly.subsidy``). Checked when the categories are first needed: a
    code declared twice or outside the plugin's namespace stops there with a
    message naming the plugin. Notices are drafted, approved and published
    through ``core.board.service``.
    """


@hookspec
def register_document_classes() -> list[Any] | None:
    """Return ``core.documents.classes.DocumentClass`` entries: the files a
    record type of this plugin accepts (scans of invoices on an expense
    request, attachments of a notice …).

    Each names the record's GraphQL type (a type registered with
    ``register_node_types``), the permissions that attach and read the
    files, how many and how large, the content types accepted (checked by
    content, never by name), how to find the record's org unit (the files
    share its scope) and the INT policy key (years, 0: kept for good) this
    plugin declares for the retention period. A plugin's codes start with
    its name and a dot. Files are uploaded with ``attachDocument`` and read
    through ``GET /documents/<id>``, audited.
    """


@hookspec
def register_archive_books() -> list[Any] | None:
    """Return what this plugin adds to the six books (六簿) of the archive:
    ``core.documents.books.BookSource`` entries — the book's code (core
    declares ``meeting_minutes``, ``mediation_log``, ``letters_visits``,
    ``activity_log``, ``residents_register``, ``seal_use_register``), a
    Chinese name of the source, the permission that reads it at the unit,
    and ``entries(session, principal, unit, year)`` returning the rows of
    the unit's subtree for the year in the book's columns, the date first —
    and, rarely, an ``ArchiveBook`` of its own (code starting with the
    plugin's name and a dot). A source is read only where the plugin is
    active; books are exported at ``GET /documents/books/<code>.xlsx`` and
    go into the yearly archive package. A bad declaration stops the first
    request that needs the books.
    """


@hookspec(firstresult=True)
def check_notice_decision(session: Session, notice: Any, resolution_id: str | None, today: Any) -> Any:
    """Check the collective decision behind approving a public-board notice
    (DOMAIN 3.1: 经社区党组织委员会集体研究决定).

    A plugin that keeps the party organization's meetings returns a
    ``core.board.decisions.NoticeDecision`` for the resolution named by
    ``resolution_id`` (a global ID), or raises ``UserInputError`` when it is
    missing or does not qualify. It returns ``None`` where it does not
    decide for the notice's unit (not active there); when no plugin answers,
    the approver records the meeting instead. The first answer wins.
    """


@hookspec
def plugin_title() -> str | None:
    """Return the plugin's Chinese name for users (矛盾纠纷排查调处, 居委会财务),
    used where core's messages name the plugin ("…在某社区未启用"). A plugin
    without it is named by its code name.
    """


@hookspec
def register_policy_keys() -> list[Any] | None:
    """Return ``core.policy.PolicyKey`` declarations: the locality-policy
    values (type, default, validation, Chinese description) this plugin reads.

    Called at start-up.
    """


@hookspec
def register_post_kinds() -> list[Any] | None:
    """Return ``core.posts.kinds`` declarations: ``BodyKind`` (a kind of
    organization inside an org unit), ``PostKind`` (a post held in a body:
    single holder? handles funds? a member's seat?) and ``PostConflict``
    (two posts one person may not hold at the same unit).

    Called at start-up. A plugin's body and post codes start with its name
    and a dot (``party.organizer``); a code declared twice stops start-up.
    """


@hookspec
def register_obligation_types() -> list[Any] | None:
    """Return ``core.reporting.obligations.ObligationType`` declarations:
    the reports, meetings, disclosures and visits (报表、会议、公开、走访) that
    org units owe period by period.

    Each gives a code starting with the plugin's name and a dot
    (``mediation.monthly_report``), a Chinese name, the kind, the org levels
    that owe it (by role in the tree: ``grassroots``, ``subdistrict``, ...),
    the recurrence (times_a_month with its ``count_key``, half_monthly,
    monthly, bimonthly, quarterly, half_yearly, yearly, per_event) and a
    ``DueRule`` naming a
    ``day_of_month`` policy key the plugin declares through
    ``register_policy_keys``. Only units where the plugin is active
    (``plugin.<name>.active``) owe it. Called at start-up; a bad declaration
    stops it. ``jiceng reporting materialize`` creates the instances.
    """


@hookspec
def register_indicators() -> list[Any] | None:
    """Return ``core.indicators.registry.Indicator`` declarations: figures
    this plugin computes from its records (dispute cases by category,
    meetings held, senior cards issued on time …).

    Each gives a code starting with the plugin's name and a dot
    (``mediation.cases.family``), a Chinese name and description, a display
    unit (件, 户, 人), optional aliases (other names a form's field may carry
    for the same figure) and ``compute(session, unit, start, end)``: the
    figure for ``unit``'s whole subtree over the period [start, end], computed
    in SQL (one aggregate query; no rows loaded), so that it sums up the tree.
    Report forms (一表通) bind their fields to indicators, so a figure the
    records hold is filled, never typed again; a hand-entered field with an
    indicator's code, name or alias is flagged as asking for data twice.
    Called when a request first needs the indicators; a code declared twice
    or outside the plugin's namespace stops there. A plugin that is not
    enabled declares none.
    """


@hookspec
def register_visit_programmes() -> list[Any] | None:
    """Return ``core.visits.programmes.VisitProgramme`` declarations: the
    visits (走访) this plugin schedules and logs through ``core.visits``.

    Each gives a code starting with the plugin's name and a dot
    (``elderly_services.elderly_visits``), a Chinese name, its categories
    (``VisitCategory``: code, Chinese name, the policy key of the interval in
    days the plugin declares through ``register_policy_keys``, whether it is
    sensitive, and a ``rule`` building a SQL condition over ``Resident`` for
    a day and unit, or none when members are enrolled explicitly with a
    reason and dates), the permission of the workers responsible where the
    resident lives (``record_permission``) and of their supervisors
    (``view_permission``). Called when a request first needs the
    programmes; a code declared twice or outside the plugin's namespace
    stops there. Visits are recorded only where the plugin is active.
    A programme with ``audited_as`` (a record type name) is an audited read
    (``core.privacy.audited``): its lists and nodes need a stated purpose and
    every read is logged under that name with the resident visited.
    """


@hookspec
def register_meeting_kinds() -> list[Any] | None:
    """Return ``core.meetings.kinds.MeetingKind`` declarations: the kinds of
    meeting this plugin holds through ``core.meetings`` (DOMAIN 3.2, 3.3).

    Each gives a code starting with the plugin's name and a dot
    (``party_building.committee_meeting``), a Chinese name and who is
    expected — the ``roster``: ``PostRoster`` (holders of core posts in
    bodies at the meeting's unit), ``PluginRoster(load)`` (the plugin's own
    list, e.g. party members of the hosting organization) or
    ``NamedRoster()`` (participants named per meeting). ``quorum`` and
    ``resolution`` are ``core.meetings.rules.VoteRule`` policy keys (more
    than half / at least half / a fraction, of those who should attend or
    of those present), ``notice_days`` and ``publish_within`` INT policy
    keys (days), plus ``minutes_required``, ``proxies_allowed``, ``voting``
    (counts or roll_call), the reporting ``obligation`` a quorate meeting
    fulfils and the ``host_type`` of the record holding the meeting. The
    plugin registers the kind's keys with ``register_policy_keys``
    (``kind.policy_keys()``). A ``MeetingObligation(kind, obligation)``
    attaches the plugin's obligation type to a kind declared elsewhere.
    Core declares ``representatives_assembly`` itself. A code declared twice
    or outside the plugin's namespace stops the first use of the registry.
    """


@hookspec
def register_routes() -> list[Any] | None:
    """Return extra Starlette routes (for example plain web pages).

    Called by the app factory; ``/graphql`` is reserved. Spreadsheet
    downloads should be ``core.api.downloads.download_route`` routes: they
    get sign-in, scope, plugin activation and the audit record for free.
    """


@hookspec
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add sub-commands to the ``jiceng`` command line.

    Called when the CLI starts, with the ``argparse`` sub-parser collection.
    Set ``handler=callable(args)`` as the parser default; it returns the exit
    status. ``core.cli.deployment_from_args(args)`` gives the deployment.
    """


@hookspec
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    """Add this plugin's demo records to a demo database.

    Called by ``jiceng demo`` after all of core's demo data (the
    organization tree, the built-in roles, residents, households, places and
    one account per role) has been created, inside the same transaction.
    ``progress`` reports long work.
    """
