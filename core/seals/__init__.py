"""The seal register (印章): seals with their custodian post, applications
to use a seal, and the use log (DOMAIN 3.4)."""
