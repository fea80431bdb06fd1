"""Texts of the care pages: visits to confirm, council access, and acting for a holder."""

CARE: dict[str, tuple[str, str]] = {
    "home.visits_waiting": ("Visits to confirm: {count}", "Ymweliadau i'w cadarnhau: {count}"),
    "home.invoices_to_check": (
        "Invoices to check in {coop}: {count}",
        "Anfonebau i'w gwirio yn {coop}: {count}",
    ),
    "home.acting_title": ("People you act for", "Pobl rydych yn gweithredu ar eu rhan"),
    "home.act_for": ("Act for {name}", "Gweithredu ar ran {name}"),
    "home.consent_link": (
        "Let your council see the evidence of your payments",
        "Gadael i'ch cyngor weld tystiolaeth eich taliadau",
    ),
    "visits.title": ("Visits to confirm", "Ymweliadau i'w cadarnhau"),
    "visits.intro": (
        "The care provider records each visit. Confirm the ones that happened as recorded, "
        "so that they can be paid; query one that is not right. A visit left alone is "
        "confirmed automatically after the time the co-operative sets.",
        "Mae'r darparwr gofal yn cofnodi pob ymweliad. Cadarnhewch y rhai a ddigwyddodd fel "
        "y'u cofnodwyd, fel y gellir talu amdanynt; cwestiynwch un sydd ddim yn iawn. Caiff "
        "ymweliad na wneir dim ag ef ei gadarnhau'n awtomatig ar ôl yr amser y mae'r cwmni "
        "cydweithredol yn ei bennu.",
    ),
    "visits.waiting_title": ("Waiting for confirmation", "Yn aros am gadarnhad"),
    "visits.none_waiting": (
        "No visit is waiting to be confirmed.",
        "Does dim ymweliad yn aros i gael ei gadarnhau.",
    ),
    "visits.when": ("{day}, {start} to {end}", "{day}, {start} tan {end}"),
    "visits.given_by": ("{worker}, of {provider}", "{worker}, o {provider}"),
    "visits.minutes": ("{minutes} minutes", "{minutes} munud"),
    "visits.coop": ("Bought through {coop}", "Wedi'i brynu drwy {coop}"),
    "visits.notes": ("Notes: {notes}", "Nodiadau: {notes}"),
    "visits.confirm": ("Confirm", "Cadarnhau"),
    "visits.which": ("the visit on {day} at {start}", "yr ymweliad ar {day} am {start}"),
    "visits.reason": ("What is not right", "Beth sydd ddim yn iawn"),
    "visits.reason_hint": (
        "For example: nobody came, or the visit was shorter",
        "Er enghraifft: ni ddaeth neb, neu roedd yr ymweliad yn fyrrach",
    ),
    "visits.query": ("Query it", "Ei gwestiynu"),
    "visits.decided_title": ("Visits already decided", "Ymweliadau sydd wedi'u penderfynu"),
    "visits.day": ("Visit", "Ymweliad"),
    "visits.worker": ("Care worker", "Gweithiwr gofal"),
    "visits.status": ("Status", "Statws"),
    "done.visit_confirmed": (
        "The visit is confirmed: it can now be paid.",
        "Mae'r ymweliad wedi'i gadarnhau: gellir talu amdano nawr.",
    ),
    "done.visit_queried": (
        "The visit is queried: it is not paid until an administrator settles it.",
        "Mae'r ymweliad wedi'i gwestiynu: ni thelir amdano nes i weinyddwr ei setlo.",
    ),
    "consent.title": ("Council access", "Mynediad y cyngor"),
    "consent.intro": (
        "You can let the council that pays the Direct Payment read the evidence of one "
        "co-operative membership: the statement, with the invoices, providers and visits "
        "behind each payment. Each time the council reads it, it shows in the activity "
        "record. You can end the access at any time.",
        "Gallwch adael i'r cyngor sy'n talu'r Taliad Uniongyrchol ddarllen tystiolaeth un "
        "aelodaeth o gwmni cydweithredol: y datganiad, gyda'r anfonebau, y darparwyr a'r "
        "ymweliadau y tu ôl i bob taliad. Bob tro y bydd y cyngor yn ei darllen, mae'n "
        "ymddangos yn y cofnod gweithgarwch. Gallwch ddod â'r mynediad i ben unrhyw bryd.",
    ),
    "consent.council": (
        "The council paying the Direct Payment today: {council}",
        "Y cyngor sy'n talu'r Taliad Uniongyrchol heddiw: {council}",
    ),
    "consent.no_award": (
        "No Direct Payment is in force today, so there is no council to share with.",
        "Does dim Taliad Uniongyrchol mewn grym heddiw, felly does dim cyngor i rannu ag ef.",
    ),
    "consent.no_award_for": (
        "No Direct Payment of theirs is in force today, so there is no council to share with.",
        "Does dim Taliad Uniongyrchol iddynt mewn grym heddiw, felly does dim cyngor i rannu "
        "ag ef.",
    ),
    "consent.grants_title": ("Access given", "Mynediad a roddwyd"),
    "consent.none": ("No council has been given access.", "Nid oes cyngor wedi cael mynediad."),
    "consent.in_force": ("In force", "Mewn grym"),
    "consent.ended": ("Ended {at}", "Daeth i ben {at}"),
    "consent.lapsed": ("Lasted until {last}", "Parodd tan {last}"),
    "consent.reader": ("Council", "Cyngor"),
    "consent.granted_at": ("Given", "Rhoddwyd"),
    "consent.until": ("Last day", "Diwrnod olaf"),
    "consent.until_ended": ("Until it is ended", "Nes y daw i ben"),
    "consent.end": ("End this access", "Dod â'r mynediad hwn i ben"),
    "consent.new_title": ("Give access", "Rhoi mynediad"),
    "consent.coop": ("Co-operative", "Cwmni cydweithredol"),
    "consent.choose_coop": ("Choose a co-operative", "Dewiswch gwmni cydweithredol"),
    "consent.until_field": ("Last day of access", "Diwrnod olaf y mynediad"),
    "consent.until_hint": (
        "Leave empty to give access until it is ended. For example 2026-12-31",
        "Gadewch yn wag i roi mynediad nes y daw i ben. Er enghraifft 2026-12-31",
    ),
    "consent.submit": ("Give the council access", "Rhoi mynediad i'r cyngor"),
    "consent.nothing_to_share": (
        "No membership as a Direct Payment holder is left to share.",
        "Does dim aelodaeth fel deiliad Taliad Uniongyrchol ar ôl i'w rhannu.",
    ),
    "done.consent_granted": (
        "The council may now read this evidence.",
        "Caiff y cyngor ddarllen y dystiolaeth hon nawr.",
    ),
    "done.consent_ended": (
        "The access has ended: the council can no longer read this evidence.",
        "Mae'r mynediad wedi dod i ben: ni all y cyngor ddarllen y dystiolaeth hon mwyach.",
    ),
    "acting.banner": ("You are acting for {name}", "Rydych yn gweithredu ar ran {name}"),
    "acting.switch_back": ("Switch back to yourself", "Newid yn ôl i chi eich hun"),
    "acting.title": ("Acting for {name}", "Gweithredu ar ran {name}"),
    "acting.intro": (
        "You act for {name} within the mandate they gave you. What you do here is recorded "
        "with both your names, and {name} can see it.",
        "Rydych yn gweithredu ar ran {name} o fewn y mandad a roddwyd i chi. Caiff yr hyn "
        "rydych yn ei wneud yma ei gofnodi gyda'ch dau enw, a gall {name} ei weld.",
    ),
    "acting.scopes_title": (
        "What {name} lets you do",
        "Yr hyn y mae {name} yn gadael i chi ei wneud",
    ),
    "acting.no_scopes": (
        "Nothing at the moment: the mandate's permissions are paused.",
        "Dim ar hyn o bryd: mae caniatâd y mandad wedi'i oedi.",
    ),
    "acting.limit": (
        "You may move up to {amount} of their money in each four-week cycle.",
        "Cewch symud hyd at {amount} o'u harian ym mhob cylch pedair wythnos.",
    ),
    "acting.waiting_title": ("Waiting for {name}", "Yn aros am {name}"),
    "acting.nothing_waiting": (
        "Nothing is waiting for {name}.",
        "Does dim yn aros am {name}.",
    ),
    "acting.pages_title": ("Their pages", "Eu tudalennau"),
    "acting.pay_in_intro": (
        "Record money paid into the co-operative's bank account for {name}: it goes into "
        "their account, with the same limits as if they had recorded it themselves.",
        "Cofnodwch arian a dalwyd i gyfrif banc y cwmni cydweithredol ar ran {name}: mae'n "
        "mynd i'w cyfrif nhw, gyda'r un terfynau â phe baen nhw wedi'i gofnodi eu hunain.",
    ),
    "acting.reference_hint": ("As on the bank transfer", "Fel ar y trosglwyddiad banc"),
    "acting.back": ("Back to your own pages", "Yn ôl i'ch tudalennau eich hun"),
}
