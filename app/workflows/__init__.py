"""Stories that cross domains, each one plain function in the order it happens.

Above every domain's services and below the routers: a router calls its own domain's service
or a workflow; nothing below a router imports a workflow.
"""
