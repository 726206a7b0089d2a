"""Elderly services (老龄服务): the elderly register, visits, the senior card."""
