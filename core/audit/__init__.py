"""The audit trail: who did what to which object, where and when.

Every mutation (``core.api.mutations.atomic``) and every read of sensitive
personal information (``core.audit.service.record_read``) writes one record
in the same transaction as the work it describes; refusals and failures are
recorded after their rollback. On PostgreSQL the record is written unchained
(``audit_pending``) and linked into the chain right after the commit by the
chainer (``core.audit.chainer``), in batches shared by concurrent writers;
on SQLite it is chained inline. Records form a hash chain (each holds the hash
of the one before, and ``audit_chain_head`` the newest), so that ``jiceng
audit verify`` names a record that was modified, deleted or cut off the end.

What the chain proves: an edit made with plain SQL to one record, or a
deletion, shows up at that record. Someone who can write to the database can
still rewrite every record from some point on and the head consistently;
detecting that needs the head's hash kept outside the database (for
example printed or sent elsewhere at intervals) and compared later.
"""
