"""Sensitive personal information shared by core and plugins: masked by
default, revealed one field at a time to callers holding the declared
permission, and every reveal audited with its purpose.

- ``core.privacy.fields``: ``SensitiveField`` declarations (collected
  through the ``register_sensitive_fields`` hook) and their registry.
- ``core.privacy.personal_data``: finds ID numbers and mobile numbers in
  text meant for the public (notices, attachments, exports) so that it can
  be refused.
- ``core.privacy.audited``: record types sensitive as a whole (declared
  through ``register_audited_record_types``) whose every read — list, node,
  export — needs a stated purpose and is audited; residents see their own
  records and who read them (``core.privacy.audited_schema``).
- ``core.privacy.schema``: the ``revealSensitiveField`` mutation and the
  ``sensitiveFields`` query.
"""

from core.privacy.fields import SensitiveField, SensitiveValue, column_loader

__all__ = ["SensitiveField", "SensitiveValue", "column_loader"]
