"""The demo locality: a real city's districts and streets with synthetic
communities, people and one account per built-in role."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.auth.permissions import registry_for
from core.auth.roles import ensure_default_roles
from core.demo.org_tree import build_demo_tree
from core.demo.people import _demo_user_units, build_demo_people, create_demo_users
from core.demo.progress import Progress
from core.plugin_host import PluginHost
from core.reporting.holidays import load_bundled
from core.settings import Settings
from core.spreadsheets.imports.demo import load_demo_import


def load_demo(session: Session, settings: Settings, host: PluginHost, progress: Progress) -> None:
    """Core's demo data in the order it depends on (tree, roles, people,
    accounts), then every enabled plugin's ``load_demo_data``, which can
    therefore rely on all of core's."""
    build_demo_tree(session, settings, progress)
    loaded = load_bundled(session)
    progress.note(f"全国节假日和调休 {sum(r.added for r in loaded)} 天（{'、'.join(str(r.year) for r in loaded)} 年）")
    roles = ensure_default_roles(session, registry_for(host))
    progress.note(f"内置角色 {len(roles)} 个")
    build_demo_people(session, settings, progress)
    create_demo_users(session, settings, progress)
    community = _demo_user_units(session)["community"]
    job = load_demo_import(session, settings, community)
    progress.note(f"表格导入示例：{community.name}场所 {job.created} 处（导入任务 {job.id}）")
    host.hook.load_demo_data(session=session, settings=settings, progress=progress)
