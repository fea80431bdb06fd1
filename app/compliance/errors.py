"""Compliance record errors."""

from app.core.errors import Forbidden


class NotYourRecord(Forbidden):
    detail = (
        "Only the co-operative's administrators file records about others: a member files "
        "records about themselves only."
    )
    detail_cy = (
        "Dim ond gweinyddwyr y cwmni cydweithredol sy'n cofnodi cofnodion am eraill: mae aelod "
        "yn cofnodi cofnodion amdano'i hun yn unig."
    )
