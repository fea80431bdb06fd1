"""Texts of a person's own pages: home, their Direct Payment, approvals and votes."""

HOLDER: dict[str, tuple[str, str]] = {
    "home.title": ("Your home page", "Eich tudalen gartref"),
    "home.waiting_title": ("Waiting for you", "Yn aros amdanoch chi"),
    "home.nothing_waiting": ("Nothing is waiting for you.", "Does dim yn aros amdanoch chi."),
    "home.approvals_waiting": (
        "Approvals waiting for you: {count}",
        "Cymeradwyaethau yn aros amdanoch: {count}",
    ),
    "home.you_voted": ("you voted {choice}", "fe wnaethoch bleidleisio {choice}"),
    "home.not_voted": ("you have not voted yet", "nid ydych wedi pleidleisio eto"),
    "home.closes": ("closes {at}", "yn cau {at}"),
    "home.coops_title": ("Your co-operatives", "Eich cwmnïau cydweithredol"),
    "home.admin": ("administrator", "gweinyddwr"),
    "home.balance": ("Your balance: {amount}", "Eich balans: {amount}"),
    "home.no_coops": (
        "You are not a member of a co-operative yet.",
        "Nid ydych yn aelod o gwmni cydweithredol eto.",
    ),
    "home.dp_title": ("Your Direct Payment", "Eich Taliad Uniongyrchol"),
    "home.dp_weekly": ("{amount} a week", "{amount} yr wythnos"),
    "home.dp_remaining": (
        "{amount} left to pay in this cycle, which ends on {last}",
        "{amount} ar ôl i'w dalu i mewn yn y cylch hwn, sy'n dod i ben ar {last}",
    ),
    "home.dp_none": (
        "You have not recorded a Direct Payment in force today.",
        "Nid ydych wedi cofnodi Taliad Uniongyrchol sydd mewn grym heddiw.",
    ),
    "home.dp_link": (
        "Record or change your Direct Payment",
        "Cofnodi neu newid eich Taliad Uniongyrchol",
    ),
    "dp.title": ("Your Direct Payment", "Eich Taliad Uniongyrchol"),
    "dp.in_force": ("In force today", "Mewn grym heddiw"),
    "dp.council": ("Council that pays it", "Y cyngor sy'n ei dalu"),
    "dp.choose_council": ("Choose a council", "Dewiswch gyngor"),
    "dp.weekly": ("Weekly amount", "Swm wythnosol"),
    "dp.status": ("Status", "Statws"),
    "dp.cycle": ("This four-week cycle", "Y cylch pedair wythnos hwn"),
    "dp.cycle_days": ("{first} to {last}", "{first} i {last}"),
    "dp.allowance": ("Allowance for the cycle", "Lwfans y cylch"),
    "dp.paid_in": ("Paid in so far", "Wedi'i dalu i mewn hyd yma"),
    "dp.remaining": ("Left to pay in", "Ar ôl i'w dalu i mewn"),
    "dp.none": (
        "No Direct Payment is in force for you today.",
        "Does dim Taliad Uniongyrchol mewn grym i chi heddiw.",
    ),
    "dp.record_title": ("Record your Direct Payment", "Cofnodi eich Taliad Uniongyrchol"),
    "dp.record_intro": (
        "As your council's letter says it. A later start date starts a new version; the same "
        "start date corrects the latest one until your council confirms it.",
        "Fel y mae llythyr eich cyngor yn ei ddweud. Mae dyddiad dechrau diweddarach yn "
        "dechrau fersiwn newydd; mae'r un dyddiad dechrau yn cywiro'r un diweddaraf nes i'ch "
        "cyngor ei gadarnhau.",
    ),
    "dp.start": ("First day", "Diwrnod cyntaf"),
    "dp.end": ("Last day", "Diwrnod olaf"),
    "dp.end_hint": (
        "Leave empty if it has no end date",
        "Gadewch yn wag os nad oes dyddiad gorffen",
    ),
    "dp.hours": ("Assessed hours a week", "Oriau'r wythnos a aseswyd"),
    "dp.hours_hint": (
        "If your assessment gives them (optional)",
        "Os yw eich asesiad yn eu rhoi (dewisol)",
    ),
    "dp.submit": ("Record it", "Ei gofnodi"),
    "dp.history": ("Every version", "Pob fersiwn"),
    "dp.open_ended": ("No end date", "Dim dyddiad gorffen"),
    "approvals.title": ("Approvals waiting for you", "Cymeradwyaethau yn aros amdanoch"),
    "approvals.intro": (
        "Things someone who acts for you asked for, which happen only when you approve.",
        "Pethau y gofynnodd rhywun sy'n gweithredu ar eich rhan amdanynt, sy'n digwydd dim "
        "ond pan fyddwch yn eu cymeradwyo.",
    ),
    "approvals.asked_by": ("Asked for by {name}, {at}", "Gofynnwyd amdano gan {name}, {at}"),
    "approvals.approve": ("Approve", "Cymeradwyo"),
    "approvals.refuse": ("Refuse", "Gwrthod"),
    "approvals.none": (
        "Nothing is waiting for your approval.",
        "Does dim yn aros am eich cymeradwyaeth.",
    ),
    "approval.kind.refund": ("A refund from your balance", "Ad-daliad o'ch balans"),
    "approval.kind_other": ("A request ({kind})", "Cais ({kind})"),
    "vote.yes": ("yes", "ie"),
    "vote.no": ("no", "na"),
    "vote.abstain": ("abstain", "ymatal"),
    "member_status.pending": ("waiting for approval", "yn aros am gymeradwyaeth"),
    "member_status.active": ("active member", "aelod gweithredol"),
    "member_status.suspended": ("suspended", "wedi'i atal"),
    "member_status.left": ("left", "wedi gadael"),
}
