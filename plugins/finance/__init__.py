"""Plugin ``finance`` (财务): 居委会财务：账簿、钱账分离、按金额分级审批与签字、日清月结、审计、半年财务公开。

- ``models``: accounts, categories, expense requests with their approval steps
  and signatures, ledger entries (vouchers), cash counts, month closings,
  audits, disclosures; money in integer fen.
- ``duties``: who may book, pay, approve and sign, from core's post assignments.
- ``service``: every rule, enforced; ``schema``: GraphQL; ``web``: the .xlsx
  export; ``demo``: demo books of the demo community.
"""
