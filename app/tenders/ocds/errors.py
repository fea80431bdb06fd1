"""Open data errors."""

from app.core.errors import NotFound
from app.tenders.errors import NoReleases


class RecordNotFound(NotFound):
    detail = "No contracting process has been published under this ocid."
    detail_cy = "Ni chyhoeddwyd proses gontractio o dan yr ocid hwn."


class NoReleasesSince(NoReleases):
    detail = "No release has been published since then."
    detail_cy = "Ni chyhoeddwyd datganiad ers hynny."
