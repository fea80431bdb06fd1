"""Texts of a council officer's pages: the area's figures, awards to confirm, shared evidence."""

COUNCIL: dict[str, tuple[str, str]] = {
    "council.home_title": ("Your council", "Eich cyngor"),
    "council.home_link": (
        "Your council's figures, awards to confirm and shared evidence",
        "Ffigurau eich cyngor, dyfarniadau i'w cadarnhau a thystiolaeth a rannwyd",
    ),
    "council.title": ("Your council's areas", "Ardaloedd eich cyngor"),
    "council.intro": (
        "As an officer of the council you can read the figures for your area, confirm the "
        "Direct Payment awards your council pays, and read the evidence holders have shared "
        "with you.",
        "Fel swyddog y cyngor gallwch ddarllen y ffigurau ar gyfer eich ardal, cadarnhau'r "
        "dyfarniadau Taliad Uniongyrchol y mae eich cyngor yn eu talu, a darllen y dystiolaeth "
        "y mae deiliaid wedi'i rhannu â chi.",
    ),
    "council.link_summary": ("Figures for {area}", "Ffigurau ar gyfer {area}"),
    "council.link_awards": (
        "Awards waiting for confirmation in {area}",
        "Dyfarniadau sy'n aros i gael eu cadarnhau yn {area}",
    ),
    "council.link_holders": (
        "Evidence shared with the council in {area}",
        "Tystiolaeth a rannwyd â'r cyngor yn {area}",
    ),
    "council.nav_label": ("Pages for {area}", "Tudalennau ar gyfer {area}"),
    "council.nav_summary": ("Figures", "Ffigurau"),
    "council.nav_awards": ("Awards to confirm", "Dyfarniadau i'w cadarnhau"),
    "council.nav_holders": ("Shared evidence", "Tystiolaeth a rannwyd"),
    # The summary
    "council.summary_title": ("Figures for {area}", "Ffigurau ar gyfer {area}"),
    "council.period": ("From {first} to {last}", "O {first} i {last}"),
    "council.from": ("From the start of", "O ddechrau"),
    "council.to": ("To", "Hyd at"),
    "council.to_today": ("today, {day}", "heddiw, {day}"),
    "council.show": ("Show", "Dangos"),
    "council.disclosure": (
        "Figures about people are published as the service publishes them to every council: "
        "a count of 1 to 7 people is not shown, other counts are rounded to the nearest 5, "
        "and money is shown only when it comes from 8 or more people, rounded to the nearest "
        "£100. Counts of providers, co-operatives and tenders are not about people and are "
        "shown as they are.",
        "Cyhoeddir ffigurau am bobl fel y mae'r gwasanaeth yn eu cyhoeddi i bob cyngor: ni "
        "ddangosir cyfrif o 1 i 7 o bobl, caiff cyfrifon eraill eu talgrynnu i'r 5 agosaf, a "
        "dim ond pan fydd yn dod gan 8 neu fwy o bobl y dangosir arian, wedi'i dalgrynnu i'r "
        "£100 agosaf. Nid yw cyfrifon darparwyr, cwmnïau cydweithredol a thendrau yn ymwneud "
        "â phobl ac fe'u dangosir fel y maent.",
    ),
    "council.csv": ("Download these figures (CSV)", "Lawrlwytho'r ffigurau hyn (CSV)"),
    "council.glance_title": ("The area at a glance", "Yr ardal yn gryno"),
    "council.holders_pooling": (
        "Holders paying into a co-operative",
        "Deiliaid sy'n talu i mewn i gwmni cydweithredol",
    ),
    "council.contributions": (
        "Direct Payment money paid in",
        "Arian Taliad Uniongyrchol a dalwyd i mewn",
    ),
    "council.coops_active": ("Co-operatives active", "Cwmnïau cydweithredol gweithredol"),
    "council.contracted_rate": (
        "Average hourly rate under contract",
        "Cyfradd fesul awr gyfartalog dan gontract",
    ),
    "council.listed_rate": (
        "Average hourly rate listed by providers",
        "Cyfradd fesul awr gyfartalog a restrwyd gan ddarparwyr",
    ),
    "council.saving": (
        "Saving against listed rates",
        "Arbediad o'i gymharu â'r cyfraddau a restrwyd",
    ),
    "council.suppressed": ("not shown (too few people)", "heb ei ddangos (rhy ychydig o bobl)"),
    "council.chart_caption": (
        "{title}: a bar chart. The same figures are in the table below.",
        "{title}: siart bar. Mae'r un ffigurau yn y tabl isod.",
    ),
    "council.table_caption": ("{title}, as a table", "{title}, fel tabl"),
    "council.spend_title": ("Care bought, by type of care", "Gofal a brynwyd, yn ôl math o ofal"),
    "council.awards_title": ("Holders' awards, by status", "Dyfarniadau deiliaid, yn ôl statws"),
    "council.awards_intro": (
        "Holders your council pays with an award in force during the period, each counted "
        "once by the status of their latest award.",
        "Deiliaid y mae eich cyngor yn eu talu gyda dyfarniad mewn grym yn ystod y cyfnod, "
        "pob un wedi'i gyfrif unwaith yn ôl statws ei ddyfarniad diweddaraf.",
    ),
    "council.providers_title": (
        "Providers, by type of care",
        "Darparwyr, yn ôl math o ofal",
    ),
    "council.tenders_title": ("Tenders, by status", "Tendrau, yn ôl statws"),
    "council.service_type": ("Type of care", "Math o ofal"),
    "council.holders": ("Holders", "Deiliaid"),
    "council.spend": ("Spend", "Gwariant"),
    "council.no_spend": (
        "No care was bought by your council's holders in this period.",
        "Ni phrynwyd gofal gan ddeiliaid eich cyngor yn y cyfnod hwn.",
    ),
    "council.status": ("Status", "Statws"),
    "council.providers": ("Providers", "Darparwyr"),
    "council.welsh_providers": ("Offering care in Welsh", "Yn cynnig gofal yn Gymraeg"),
    "council.gap": ("no provider", "dim darparwr"),
    "council.tenders": ("Tenders", "Tendrau"),
    # Awards
    "council.awards_waiting_title": (
        "Awards waiting for confirmation: {area}",
        "Dyfarniadau sy'n aros i gael eu cadarnhau: {area}",
    ),
    "council.awards_waiting_intro": (
        "Holders declared these Direct Payment awards as paid by your council. Open one to "
        "confirm it, with the amount your council pays and its reference, or to reject it.",
        "Datganodd deiliaid fod y dyfarniadau Taliad Uniongyrchol hyn yn cael eu talu gan "
        "eich cyngor. Agorwch un i'w gadarnhau, gyda'r swm y mae eich cyngor yn ei dalu a'i "
        "gyfeirnod, neu i'w wrthod.",
    ),
    "council.no_awards_waiting": (
        "No award is waiting for your council's confirmation.",
        "Does dim dyfarniad yn aros i'ch cyngor ei gadarnhau.",
    ),
    "council.holder": ("Holder", "Deiliad"),
    "council.weekly": ("Weekly amount", "Swm wythnosol"),
    "council.first_day": ("First day", "Diwrnod cyntaf"),
    "council.last_day": ("Last day", "Diwrnod olaf"),
    "council.no_end": ("no end date", "dim dyddiad gorffen"),
    "council.declared_on": ("Declared on", "Datganwyd ar"),
    "council.done_confirmed": ("The award is confirmed.", "Mae'r dyfarniad wedi'i gadarnhau."),
    "council.done_rejected": (
        "The award is rejected; the holder can read your reason.",
        "Mae'r dyfarniad wedi'i wrthod; gall y deiliad ddarllen eich rheswm.",
    ),
    "council.award_title": (
        "Direct Payment award of {name}",
        "Dyfarniad Taliad Uniongyrchol {name}",
    ),
    "council.assessed_hours": ("Assessed hours a week", "Oriau a aseswyd yr wythnos"),
    "council.reference": ("Council reference", "Cyfeirnod y cyngor"),
    "council.confirmed_on": ("Confirmed on", "Cadarnhawyd ar"),
    "council.rejected_because": ("Rejected because", "Gwrthodwyd oherwydd"),
    "council.confirm_title": ("Confirm the award", "Cadarnhau'r dyfarniad"),
    "council.correct_title": ("Correct the confirmed award", "Cywiro'r dyfarniad a gadarnhawyd"),
    "council.confirm_weekly": (
        "Weekly amount your council pays",
        "Swm wythnosol y mae eich cyngor yn ei dalu",
    ),
    "council.confirm_weekly_hint": (
        "In pounds. Leave it empty to keep {amount}.",
        "Mewn punnoedd. Gadewch yn wag i gadw {amount}.",
    ),
    "council.confirm": ("Confirm the award", "Cadarnhau'r dyfarniad"),
    "council.correct": ("Save the correction", "Cadw'r cywiriad"),
    "council.reject_title": ("Reject the award", "Gwrthod y dyfarniad"),
    "council.reason": ("Reason for rejecting it", "Rheswm dros ei wrthod"),
    "council.reason_hint": (
        "The holder reads this, and can correct the award.",
        "Mae'r deiliad yn darllen hwn, a gall gywiro'r dyfarniad.",
    ),
    "council.reject": ("Reject the award", "Gwrthod y dyfarniad"),
    # Shared evidence
    "council.holders_title": (
        "Evidence shared with the council: {area}",
        "Tystiolaeth a rannwyd â'r cyngor: {area}",
    ),
    "council.holders_intro": (
        "Holders who let your council read the evidence behind their payments, for as long as "
        "they choose. Each holder sees when the council reads it.",
        "Deiliaid sy'n gadael i'ch cyngor ddarllen y dystiolaeth y tu ôl i'w taliadau, cyhyd "
        "ag y dymunant. Mae pob deiliad yn gweld pryd mae'r cyngor yn ei darllen.",
    ),
    "council.no_holders": (
        "No holder shares their evidence with your council now.",
        "Does dim deiliad yn rhannu ei dystiolaeth â'ch cyngor ar hyn o bryd.",
    ),
    "council.coop": ("Co-operative", "Cwmni cydweithredol"),
    "council.shared_since": ("Shared since", "Wedi'i rannu ers"),
    "council.shared_until": ("Shared until", "Wedi'i rannu tan"),
    "council.until_ended": ("until the holder ends it", "nes i'r deiliad ddod ag ef i ben"),
    "council.evidence_of": ("Evidence of {name} in {coop}", "Tystiolaeth {name} yn {coop}"),
    "council.evidence_title": ("Evidence: {name}", "Tystiolaeth: {name}"),
    "council.back_to_holders": (
        "Back to the evidence shared with the council",
        "Yn ôl i'r dystiolaeth a rannwyd â'r cyngor",
    ),
    "council.evidence_intro": (
        "Every payment in and out of the holder's account, with what stands behind it: the "
        "provider and visits of a payment for care, the pay of a payroll payment.",
        "Pob taliad i mewn ac allan o gyfrif y deiliad, gyda'r hyn sydd y tu ôl iddo: "
        "darparwr ac ymweliadau taliad am ofal, cyflog taliad cyflogres.",
    ),
    "council.evidence_period": ("From {first} to {last}", "O {first} hyd {last}"),
    "council.evidence_from": ("First day", "Y diwrnod cyntaf"),
    "council.evidence_to": ("Last day", "Y diwrnod olaf"),
    "council.evidence_csv": ("Download this evidence (CSV)", "Lawrlwytho'r dystiolaeth hon (CSV)"),
    "council.date": ("Date", "Dyddiad"),
    "council.what": ("What", "Beth"),
    "council.behind": ("Behind it", "Y tu ôl iddo"),
    "council.amount": ("Amount", "Swm"),
    "council.balance": ("Balance", "Balans"),
    "council.opening": ("Opening balance", "Balans agoriadol"),
    "council.closing": ("Closing balance", "Balans cau"),
    "council.paid_to": ("Paid to {provider}", "Talwyd i {provider}"),
    "council.visit": (
        "{day}, {start} to {end} ({minutes} minutes), {worker}",
        "{day}, {start} i {end} ({minutes} munud), {worker}",
    ),
    "council.payroll_line": (
        "{worker}, {first} to {last}: {share}",
        "{worker}, {first} i {last}: {share}",
    ),
    "council.totals_title": ("Totals", "Cyfansymiau"),
    "council.total_contributions": ("Paid in", "Wedi'i dalu i mewn"),
    "council.total_care": ("Care", "Gofal"),
    "council.total_shared": ("Shared costs", "Costau a rennir"),
    "council.total_payroll": ("Payroll", "Cyflogres"),
    "council.total_refunds": ("Refunds", "Ad-daliadau"),
}
