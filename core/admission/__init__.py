"""Work admission (社区工作准入, DOMAIN 3.6): the register of approved requirements
behind every obligation, report form and recurring task that reaches a community."""
