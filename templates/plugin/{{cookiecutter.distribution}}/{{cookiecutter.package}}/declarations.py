"""The permissions this plugin declares and the built-in roles that carry them."""

from __future__ import annotations

from core.plugin_api import Permission

VIEW = Permission(
    "{{ cookiecutter.plugin_name }}.view",
    "查看{{ cookiecutter.title }}",
    default_roles=("community_worker", "committee_chair", "street_staff", "street_leader", "district_supervisor"),
)
EDIT = Permission(
    "{{ cookiecutter.plugin_name }}.edit",
    "登记{{ cookiecutter.title }}",
    default_roles=("community_worker", "committee_chair", "street_staff"),
)

PERMISSIONS = (VIEW, EDIT)
