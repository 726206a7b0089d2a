"""Plugin ``finance`` (财务): 居委会（村）财务：账簿、钱账分离、按金额分级审批与签字、拒付与向街道反映、日清月结、审计、财务公开。

- ``models``: accounts, categories, expense requests with their approval steps
  and signatures, ledger entries (vouchers), cash counts, month closings,
  audits, disclosures; money in integer fen.
- ``duties``: who may book, pay, approve and sign, from core's post assignments.
- ``service``: every rule, enforced; ``waiting``: who must act next on a
  request; ``schema``: GraphQL; ``web``: the .xlsx
  export; ``demo``: demo books of the demo community.
"""
