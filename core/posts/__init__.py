"""Posts and terms (职务 / 任期): who holds which post in which body for which term.

- ``core.posts.models``: ``body`` (an organization inside an org unit) and
  ``post_assignment`` (a resident holding a post in a body for a term).
- ``core.posts.kinds``: declared body kinds, post kinds and separation rules;
  plugins add theirs through the ``register_post_kinds`` hook.
- ``core.posts.service``: assigning, ending and transferring, and the
  questions other modules ask (``holders``, ``posts_of``,
  ``is_same_person_holding``, ``who_holds_funds``, ``funds_departures``).
- ``core.posts.sizing``: sizing warnings from locality policy and household counts.
"""
