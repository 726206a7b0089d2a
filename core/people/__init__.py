"""The people registry: residents, households and places, entered once and shared.

- ``identity``: ID numbers (GB 11643) and phone numbers: checks, masks.
- ``relationships``: relationship to the head of household (GB/T 4761).
- ``models`` / ``service``: the tables and their rules; list statements.
- ``categories``: resident categories declared by core and plugins
  (``register_resident_categories``), some of them sensitive.
- ``sensitive``: the sensitive fields of residents (``core.privacy``).
- ``schema`` / ``plugin``: GraphQL and the hooks that register it all.
"""
