"""Community volunteers (志愿者): a third-party Jiceng plugin.

The hook implementations are in ``jiceng_volunteer.plugin``, the module the
``jiceng.plugins`` entry point names.
"""

__version__ = "0.1.0"
