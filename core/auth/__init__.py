"""User accounts, sign-in sessions and org-scoped permissions.

- ``core.auth.passwords``: argon2id hashing and the password rules.
- ``core.auth.service``: users, sign-in (``login``), sessions
  (``principal_for_token``), throttling, password change, role grants.
- ``core.auth.permissions``: permission declarations and their registry,
  ``Principal`` (who is signed in and where each permission reaches) and the
  checks every module uses: ``scope_condition``, ``require``, ``can``,
  ``check_separation``, ``require_different_people``.
- ``core.auth.roles``: the default roles shipped as data.

A role is a named set of permission codes; a grant gives a user a role at
one org unit and reaches that unit's subtree.
"""
