"""Plugin ``party_building`` (党建): 党组织与党员、三会一课、在职党员进社区、党员联户、发展党员、民主评议、大党委。

Modules:

- ``models``: party organizations (their own tree, ``party_path``, attached
  to org units), members (residents by reference; big-committee seats),
  transfers, meetings with attendance and resolutions, democratic life
  plans, development cases, in-service registrations/records/feedback
  slips, household assignments and contacts, appraisals, member units (驻区单位;
  core has no resident-unit model) and their appraisals.
- ``declarations``: permissions, policy keys (every number of DOMAIN.md 2.1),
  reporting obligations (三会一课, 民主生活会, 大党委会议, and the per-event
  report of the democratic life meeting's topic).
- ``service``: the rules and their refusals; ``schema``: GraphQL;
  ``privacy``: the sensitive political status; ``web``: the Excel ledger;
  ``demo``: demo data for the demo community.
"""
