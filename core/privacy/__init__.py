"""Sensitive personal information shared by core and plugins: masked by
default, revealed one field at a time to callers holding the declared
permission, and every reveal audited with its purpose.

- ``core.privacy.fields``: ``SensitiveField`` declarations (collected
  through the ``register_sensitive_fields`` hook) and their registry.
- ``core.privacy.personal_data``: finds ID numbers and mobile numbers in
  text meant for the public (notices, attachments, exports) so that it can
  be refused.
- ``core.privacy.schema``: the ``revealSensitiveField`` mutation and the
  ``sensitiveFields`` query.
"""

from core.privacy.fields import SensitiveField, SensitiveValue, column_loader

__all__ = ["SensitiveField", "SensitiveValue", "column_loader"]
