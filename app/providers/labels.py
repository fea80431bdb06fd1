"""English and Welsh labels of the provider enums, for GET /api/v1/reference/labels."""

from app.providers.models import ServiceType, WelshLanguage

SERVICE_TYPE_LABELS: dict[ServiceType, tuple[str, str]] = {
    ServiceType.domiciliary_support: ("Domiciliary support", "Cymorth yn y cartref"),
    ServiceType.personal_assistant: ("Personal assistant", "Cynorthwyydd personol"),
    ServiceType.respite: ("Respite", "Seibiant"),
    ServiceType.day_opportunities: ("Day opportunities", "Cyfleoedd dydd"),
    ServiceType.supported_living: ("Supported living", "Byw â chymorth"),
    ServiceType.adult_placement: ("Adult placement", "Lleoli oedolion"),
    ServiceType.care_home_adults: ("Care home for adults", "Cartref gofal i oedolion"),
    ServiceType.community_support: ("Community support", "Cymorth cymunedol"),
}

WELSH_LANGUAGE_LABELS: dict[WelshLanguage, tuple[str, str]] = {
    WelshLanguage.none: ("None", "Dim"),
    WelshLanguage.some: ("Some staff speak Welsh", "Rhywfaint"),
    WelshLanguage.full: ("Full (the Active Offer)", "Llawn (y Cynnig Rhagweithiol)"),
}
