"""Texts of the pages anyone may read: the directory, tenders and co-operatives."""

PUBLIC: dict[str, tuple[str, str]] = {
    "home.public_title": (
        "Pool your Direct Payment with others",
        "Cronni eich Taliad Uniongyrchol gydag eraill",
    ),
    "home.public_lead": (
        "Find care providers in your area, join a co-operative, buy care together and share "
        "the employer's paperwork.",
        "Dewch o hyd i ddarparwyr gofal yn eich ardal, ymunwch â chwmni cydweithredol, prynwch "
        "ofal gyda'ch gilydd a rhannu gwaith papur y cyflogwr.",
    ),
    "home.find_care": (
        "Find care providers in your area",
        "Dod o hyd i ddarparwyr gofal yn eich ardal",
    ),
    "home.find_coop": (
        "Find a co-operative to join",
        "Dod o hyd i gwmni cydweithredol i ymuno ag ef",
    ),
    "home.see_tenders": ("See the tenders for care", "Gweld y tendrau am ofal"),
    "directory.title": ("Find care providers", "Dod o hyd i ddarparwyr gofal"),
    "directory.title_in": ("Care providers in {area}", "Darparwyr gofal yn {area}"),
    "directory.intro": (
        "Choose an area to see which services are offered there, which are missing, and the "
        "verified providers who serve it.",
        "Dewiswch ardal i weld pa wasanaethau sydd ar gael yno, pa rai sydd ar goll, a'r "
        "darparwyr wedi'u dilysu sy'n ei gwasanaethu.",
    ),
    "directory.area": ("Area", "Ardal"),
    "directory.choose_area": ("Choose an area", "Dewiswch ardal"),
    "directory.service": ("Service", "Gwasanaeth"),
    "directory.any_service": ("Any service", "Unrhyw wasanaeth"),
    "directory.show": ("Show providers", "Dangos darparwyr"),
    "directory.coverage_title": ("Services in this area", "Gwasanaethau yn yr ardal hon"),
    "directory.coverage_intro": (
        "A gap is a service nobody offers in the area yet.",
        "Bwlch yw gwasanaeth nad oes neb yn ei gynnig yn yr ardal eto.",
    ),
    "directory.providers": ("Providers", "Darparwyr"),
    "directory.lowest_rate": ("Lowest hourly rate", "Y gyfradd fesul awr isaf"),
    "directory.median_rate": ("Median hourly rate", "Y gyfradd fesul awr ganolrifol"),
    "directory.welsh_providers": (
        "Providers working fully in Welsh",
        "Darparwyr sy'n gweithio'n llwyr yn Gymraeg",
    ),
    "directory.gap": ("Gap", "Bwlch"),
    "directory.list_title": (
        "Providers serving this area",
        "Darparwyr sy'n gwasanaethu'r ardal hon",
    ),
    "directory.rate": ("Hourly rate", "Cyfradd fesul awr"),
    "directory.per_hour": ("{amount} an hour", "{amount} yr awr"),
    "directory.welsh": ("Welsh", "Cymraeg"),
    "directory.services": ("Services", "Gwasanaethau"),
    "directory.contact": ("Contact", "Cysylltu"),
    "directory.none_found": ("No provider found.", "Heb ddod o hyd i ddarparwr."),
    "tenders.title": ("Tenders for care", "Tendrau am ofal"),
    "tenders.intro": (
        "Co-operatives buy care together through fair, open tenders. Providers bid; members "
        "decide.",
        "Mae cwmnïau cydweithredol yn prynu gofal gyda'i gilydd drwy dendrau teg ac agored. "
        "Mae darparwyr yn cynnig; yr aelodau sy'n penderfynu.",
    ),
    "tenders.status": ("Stage", "Cam"),
    "tenders.any_status": ("Any stage", "Unrhyw gam"),
    "tenders.show": ("Show tenders", "Dangos tendrau"),
    "tenders.areas": ("Areas", "Ardaloedd"),
    "tenders.deadline": ("Bids close", "Cynigion yn cau"),
    "tenders.none": ("No tender found.", "Heb ddod o hyd i dendr."),
    "tender.service": ("Service", "Gwasanaeth"),
    "tender.max_rate": ("Highest hourly rate", "Y gyfradd fesul awr uchaf"),
    "tender.welsh": ("Welsh needed", "Cymraeg sydd ei hangen"),
    "tender.weights": ("How bids are judged", "Sut y barnir cynigion"),
    "tender.weights_value": (
        "Price {price}%, quality {quality}%",
        "Pris {price}%, ansawdd {quality}%",
    ),
    "tender.demand": ("Demand", "Galw"),
    "tender.hours_a_week": ("{hours} hours a week", "{hours} awr yr wythnos"),
    "tender.the_coop": ("The co-operative buying", "Y cwmni cydweithredol sy'n prynu"),
    "tender.all": ("All tenders", "Pob tendr"),
    "coops.title": ("Co-operatives", "Cwmnïau cydweithredol"),
    "coops.intro": (
        "Each co-operative is owned by its members: people who hold a Direct Payment, their "
        "carers, support workers and others.",
        "Mae pob cwmni cydweithredol yn eiddo i'w aelodau: pobl sydd â Thaliad Uniongyrchol, "
        "eu gofalwyr, gweithwyr cymorth ac eraill.",
    ),
    "coops.any_area": ("Any area", "Unrhyw ardal"),
    "coops.show": ("Show co-operatives", "Dangos cwmnïau cydweithredol"),
    "coops.areas": ("Areas", "Ardaloedd"),
    "coops.members": ("About {count} members", "Tua {count} o aelodau"),
    "coops.members_few": ("Fewer than 8 members", "Llai nag 8 aelod"),
    "coops.none": ("No co-operative found.", "Heb ddod o hyd i gwmni cydweithredol."),
    "coop.members": ("Members", "Aelodau"),
    "coop.your_membership": ("Your membership", "Eich aelodaeth"),
    "coop.status_is": ("Your membership is: {status}", "Eich aelodaeth: {status}"),
    "coop.join_title": ("Join this co-operative", "Ymuno â'r cwmni cydweithredol hwn"),
    "coop.join_intro": (
        "Apply as a member; an administrator of the co-operative approves new members.",
        "Gwnewch gais fel aelod; mae gweinyddwr y cwmni cydweithredol yn cymeradwyo aelodau "
        "newydd.",
    ),
    "coop.join_as": ("Join as", "Ymuno fel"),
    "coop.apply": ("Apply to join", "Gwneud cais i ymuno"),
    "coop.done_applied": (
        "Your application has been sent. An administrator will approve it.",
        "Mae eich cais wedi'i anfon. Bydd gweinyddwr yn ei gymeradwyo.",
    ),
    "coop.sign_in_to_join": ("Sign in to apply to join", "Mewngofnodwch i wneud cais i ymuno"),
}
