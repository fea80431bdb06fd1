"""Texts of a co-op administrator's tender pages (from the draft to the contract) and of
charging the shared services."""

TENDERS: dict[str, tuple[str, str]] = {
    "tenderadmin.nav": ("Our tenders", "Ein tendrau"),
    "tenderadmin.list_title": ("Tenders of {name}", "Tendrau {name}"),
    "tenderadmin.list_intro": (
        "Buy care together: draft a tender, publish it for providers to bid, then score the "
        "bids, award the best and sign the contract.",
        "Prynu gofal gyda'n gilydd: drafftiwch dendr, cyhoeddwch ef i ddarparwyr gynnig amdano, "
        "yna sgoriwch y cynigion, dyfarnwch i'r gorau a llofnodwch y contract.",
    ),
    "tenderadmin.new_link": ("Draft a new tender", "Drafftio tendr newydd"),
    "tenderadmin.none": (
        "The co-operative has no tender yet.",
        "Does gan y cwmni cydweithredol ddim tendr eto.",
    ),
    "tenderadmin.all": ("All the co-operative's tenders", "Holl dendrau'r cwmni cydweithredol"),
    "tenderadmin.back": ("Back to the tender", "Yn ôl i'r tendr"),
    "tenderadmin.new_title": ("Draft a tender", "Drafftio tendr"),
    "tenderadmin.edit_title": ("Edit the draft tender", "Golygu'r tendr drafft"),
    "tenderadmin.form_intro": (
        "Only the co-operative's members see a draft. You can change it until you publish it.",
        "Dim ond aelodau'r cwmni cydweithredol sy'n gweld drafft. Gallwch ei newid nes i chi ei "
        "gyhoeddi.",
    ),
    "tenderadmin.title": ("Title", "Teitl"),
    "tenderadmin.title_cy": ("Title in Welsh", "Teitl yn Gymraeg"),
    "tenderadmin.description": ("What is being bought", "Beth sy'n cael ei brynu"),
    "tenderadmin.description_cy": (
        "What is being bought, in Welsh",
        "Beth sy'n cael ei brynu, yn Gymraeg",
    ),
    "tenderadmin.description_hint": (
        "Providers read this before they bid: the care, the hours and anything that matters.",
        "Mae darparwyr yn darllen hwn cyn cynnig: y gofal, yr oriau ac unrhyw beth sy'n bwysig.",
    ),
    "tenderadmin.optional_welsh": (
        "Optional. Shown to those reading in Welsh.",
        "Dewisol. Fe'i dangosir i'r rhai sy'n darllen yn Gymraeg.",
    ),
    "tenderadmin.choose": ("Choose one", "Dewiswch un"),
    "tenderadmin.areas_hint": (
        "Some or all of the co-operative's areas. Only providers serving every one may bid.",
        "Rhai neu bob un o ardaloedd y cwmni cydweithredol. Dim ond darparwyr sy'n gwasanaethu "
        "pob un gaiff gynnig.",
    ),
    "tenderadmin.max_rate_hint": (
        "The most a bid may ask an hour, in pounds and pence, for example 25.00",
        "Yr uchafswm y caiff cynnig ei ofyn yr awr, mewn punnoedd a cheiniogau, er enghraifft "
        "25.00",
    ),
    "tenderadmin.welsh_hint": (
        "The least Welsh language offer a bid must make.",
        "Y cynnig Cymraeg lleiaf y mae'n rhaid i gynnig ei wneud.",
    ),
    "tenderadmin.price_weight": ("Weight of price", "Pwysau'r pris"),
    "tenderadmin.quality_weight": ("Weight of quality", "Pwysau ansawdd"),
    "tenderadmin.weights_hint": (
        "A whole number: the two weights add up to 100.",
        "Rhif cyfan: mae'r ddau bwysau yn adio i 100.",
    ),
    "tenderadmin.deadline_hint": (
        "The day and time in Wales when bidding closes. It must still be to come when you publish.",
        "Y diwrnod a'r amser yng Nghymru pan fydd cynigion yn cau. Rhaid iddo fod eto i ddod "
        "pan fyddwch yn cyhoeddi.",
    ),
    "tenderadmin.error_moment": (
        "Enter a day and a time, like 2026-03-27 17:00",
        "Rhowch ddiwrnod ac amser, fel 2026-03-27 17:00",
    ),
    "tenderadmin.standstill_days": ("Standstill", "Cyfnod segur"),
    "tenderadmin.standstill_hint": (
        "Whole days between the award and the contract, so that bidders can question the award.",
        "Diwrnodau cyfan rhwng y dyfarniad a'r contract, fel y gall cynigwyr herio'r dyfarniad.",
    ),
    "tenderadmin.days": ("{days} days", "{days} diwrnod"),
    "tenderadmin.create": ("Save the draft", "Cadw'r drafft"),
    "tenderadmin.save": ("Save the changes", "Cadw'r newidiadau"),
    "tenderadmin.published_at": ("Published", "Cyhoeddwyd"),
    "tenderadmin.public_page": (
        "The tender as the public sees it",
        "Y tendr fel y mae'r cyhoedd yn ei weld",
    ),
    "tenderadmin.hours": ("Hours a week", "Oriau'r wythnos"),
    "tenderadmin.no_demand": (
        "No member has said how many hours they want yet.",
        "Does dim aelod wedi dweud faint o oriau y mae arno eu heisiau eto.",
    ),
    "tenderadmin.publish_title": ("Publish the tender", "Cyhoeddi'r tendr"),
    "tenderadmin.publish_intro": (
        "Once published, providers serving its areas are told and may bid until the deadline, "
        "and the tender can no longer change.",
        "Unwaith y caiff ei gyhoeddi, dywedir wrth ddarparwyr sy'n gwasanaethu ei ardaloedd a "
        "chânt gynnig tan y dyddiad cau, ac ni ellir newid y tendr mwyach.",
    ),
    "tenderadmin.edit_link": ("Edit the draft", "Golygu'r drafft"),
    "tenderadmin.publish": ("Publish", "Cyhoeddi"),
    "tenderadmin.bids_title": ("Bids", "Cynigion"),
    "tenderadmin.bids_open_at": ("The bids open at {at}.", "Bydd y cynigion yn agor am {at}."),
    "tenderadmin.no_bids": ("No bid came.", "Ni ddaeth unrhyw gynnig."),
    "tenderadmin.rate": ("Hourly rate", "Cyfradd yr awr"),
    "tenderadmin.capacity": ("Can provide", "Yn gallu darparu"),
    "tenderadmin.welsh_offer": ("Welsh offered", "Cymraeg a gynigir"),
    "tenderadmin.submitted_at": ("Bid made", "Cynnig wedi'i wneud"),
    "tenderadmin.score": ("Quality score", "Sgôr ansawdd"),
    "tenderadmin.not_scored": ("Not scored yet", "Heb ei sgorio eto"),
    "tenderadmin.score_for": ("Quality score for {provider}", "Sgôr ansawdd ar gyfer {provider}"),
    "tenderadmin.score_hint": (
        "A whole number from 0 to 100, from the quality statement.",
        "Rhif cyfan o 0 i 100, o'r datganiad ansawdd.",
    ),
    "tenderadmin.score_submit": ("Save the score", "Cadw'r sgôr"),
    "tenderadmin.ranking_title": ("Evaluation", "Gwerthusiad"),
    "tenderadmin.ranking_intro": (
        "Best first. Price points: the price weight times the lowest rate over the bid's rate. "
        "Quality points: the quality weight times the score over 100.",
        "Y gorau yn gyntaf. Pwyntiau pris: pwysau'r pris wedi'i luosi â'r gyfradd isaf dros "
        "gyfradd y cynnig. Pwyntiau ansawdd: pwysau ansawdd wedi'i luosi â'r sgôr dros 100.",
    ),
    "tenderadmin.rank": ("Place", "Safle"),
    "tenderadmin.provider": ("Provider", "Darparwr"),
    "tenderadmin.price_points": ("Price points", "Pwyntiau pris"),
    "tenderadmin.quality_points": ("Quality points", "Pwyntiau ansawdd"),
    "tenderadmin.total_points": ("Total", "Cyfanswm"),
    "tenderadmin.points": ("{points} points", "{points} pwynt"),
    "tenderadmin.award_title": ("Award the tender", "Dyfarnu'r tendr"),
    "tenderadmin.award_choice": ("Which bid wins?", "Pa gynnig sy'n ennill?"),
    "tenderadmin.award_hint": (
        "Every bid must be scored first. Where the co-operative's rules ask for it, the members "
        "vote on the award.",
        "Rhaid sgorio pob cynnig yn gyntaf. Lle mae rheolau'r cwmni cydweithredol yn gofyn "
        "amdano, mae'r aelodau'n pleidleisio ar y dyfarniad.",
    ),
    "tenderadmin.award": ("Award the tender", "Dyfarnu'r tendr"),
    "tenderadmin.votes_title": (
        "The members' vote on the award",
        "Pleidlais yr aelodau ar y dyfarniad",
    ),
    "tenderadmin.vote_waiting": (
        "The tender is awarded if the vote passes; if not, it comes back here to be awarded again.",
        "Caiff y tendr ei ddyfarnu os bydd y bleidlais yn llwyddo; os na, daw yn ôl yma i'w "
        "ddyfarnu eto.",
    ),
    "tenderadmin.awarded_title": ("The award", "Y dyfarniad"),
    "tenderadmin.awarded_at": ("Awarded", "Dyfarnwyd"),
    "tenderadmin.standstill_ends": ("Standstill ends", "Cyfnod segur yn dod i ben"),
    "tenderadmin.contract_intro": (
        "Once the standstill has ended, sign the contract: each member's hours become their "
        "call-off at the awarded rate.",
        "Unwaith y daw'r cyfnod segur i ben, llofnodwch y contract: daw oriau pob aelod yn "
        "alwad iddynt ar y gyfradd a ddyfarnwyd.",
    ),
    "tenderadmin.contract": ("Sign the contract", "Llofnodi'r contract"),
    "tenderadmin.contract_link": ("See the contract", "Gweld y contract"),
    "tenderadmin.cancelled_title": ("Why it was cancelled", "Pam y cafodd ei ganslo"),
    "tenderadmin.unsuccessful": (
        "Bidding closed without a valid bid: the tender was unsuccessful.",
        "Caeodd y cynigion heb gynnig dilys: bu'r tendr yn aflwyddiannus.",
    ),
    "tenderadmin.cancel_title": ("Cancel the tender", "Canslo'r tendr"),
    "tenderadmin.cancel_reason": ("Why is it cancelled?", "Pam y caiff ei ganslo?"),
    "tenderadmin.cancel_hint": (
        "Published with the tender. Bids not yet opened stay sealed.",
        "Fe'i cyhoeddir gyda'r tendr. Mae cynigion heb eu hagor yn aros wedi'u selio.",
    ),
    "tenderadmin.cancel": ("Cancel the tender", "Canslo'r tendr"),
    "tenderadmin.contract_title": ("Contract with {provider}", "Contract gyda {provider}"),
    "tenderadmin.start_date": ("First day of care", "Diwrnod cyntaf y gofal"),
    "tenderadmin.end_date": ("Last day of care", "Diwrnod olaf y gofal"),
    "tenderadmin.call_offs": ("Members' call-offs", "Galwadau'r aelodau"),
    "tenderadmin.last_day": ("Last day", "Diwrnod olaf"),
    "tenderadmin.running": ("Running", "Yn rhedeg"),
    "tenderadmin.no_call_offs": (
        "No member had said how many hours they wanted, so there is no call-off.",
        "Nid oedd unrhyw aelod wedi dweud faint o oriau yr oedd arno eu heisiau, felly nid oes "
        "galwad.",
    ),
    "tenderadmin.variations": ("Changes of rate", "Newidiadau i'r gyfradd"),
    "tenderadmin.variation": ("{amount} an hour from {first}", "{amount} yr awr o {first}"),
    "tenderadmin.done_drafted": (
        "The draft is saved. Only the co-operative's members can see it.",
        "Mae'r drafft wedi'i gadw. Dim ond aelodau'r cwmni cydweithredol sy'n gallu ei weld.",
    ),
    "tenderadmin.done_updated": ("The draft is changed.", "Mae'r drafft wedi'i newid."),
    "tenderadmin.done_published": (
        "The tender is published: providers may bid until the deadline.",
        "Mae'r tendr wedi'i gyhoeddi: caiff darparwyr gynnig tan y dyddiad cau.",
    ),
    "tenderadmin.done_cancelled": ("The tender is cancelled.", "Mae'r tendr wedi'i ganslo."),
    "tenderadmin.done_scored": ("The score is saved.", "Mae'r sgôr wedi'i chadw."),
    "tenderadmin.done_vote_opened": (
        "The award is put to the members' vote.",
        "Mae'r dyfarniad wedi'i roi i bleidlais yr aelodau.",
    ),
    "tenderadmin.done_awarded": ("The tender is awarded.", "Mae'r tendr wedi'i ddyfarnu."),
    "tenderadmin.done_contracted": (
        "The contract is signed: each member's hours are now their call-off.",
        "Mae'r contract wedi'i lofnodi: oriau pob aelod yw eu galwad bellach.",
    ),
    "charges.nav": ("Charge shared services", "Codi tâl am wasanaethau a rennir"),
    "charges.title": ("Shared services of {name}", "Gwasanaethau a rennir {name}"),
    "charges.intro": (
        "Charge a month of a service: the amount is shared exactly among the members "
        "subscribed on any day of that month, from their money in the pool.",
        "Codi tâl am fis o wasanaeth: rhennir y swm yn union rhwng yr aelodau a oedd wedi "
        "tanysgrifio ar unrhyw ddiwrnod o'r mis hwnnw, o'u harian yn y gronfa.",
    ),
    "charges.fee": ("{amount} a month", "{amount} y mis"),
    "charges.subscribers": (
        "Members subscribed today: {count}",
        "Aelodau sydd wedi tanysgrifio heddiw: {count}",
    ),
    "charges.period": ("Month", "Mis"),
    "charges.period_hint": (
        "Year and month, like 2026-03: this month or an earlier one.",
        "Blwyddyn a mis, fel 2026-03: y mis hwn neu un cynharach.",
    ),
    "charges.amount": ("Amount", "Swm"),
    "charges.amount_hint": (
        "Leave it empty to charge the monthly fee, {amount}.",
        "Gadewch ef yn wag i godi'r ffi fisol, {amount}.",
    ),
    "charges.submit": ("Charge the month", "Codi tâl am y mis"),
    "charges.none": (
        "The co-operative offers no shared service yet.",
        "Nid yw'r cwmni cydweithredol yn cynnig unrhyw wasanaeth a rennir eto.",
    ),
    "charges.short_by": ("{name} is short by {amount}", "Mae {name} yn brin o {amount}"),
    "charges.done": (
        "The month is charged: each member subscribed has paid their share into the shared fund.",
        "Codwyd tâl am y mis: mae pob aelod a danysgrifiodd wedi talu ei gyfran i'r gronfa a "
        "rennir.",
    ),
}
