"""Texts of every page's frame: the header, navigation, footer, forms and error pages."""

LAYOUT: dict[str, tuple[str, str]] = {
    "site.name": ("Direct Payments co-operatives", "Cwmnïau cydweithredol Taliadau Uniongyrchol"),
    "layout.skip": ("Skip to main content", "Neidio i'r prif gynnwys"),
    "layout.switch_to": ("Cymraeg", "English"),
    "layout.nav_label": ("Main", "Prif ddewislen"),
    "layout.signed_in_as": ("Signed in as {name}", "Wedi mewngofnodi fel {name}"),
    "layout.footer": (
        "A service for people in Wales who pool part of their Direct Payment in a co-operative.",
        "Gwasanaeth i bobl yng Nghymru sy'n cronni rhan o'u Taliad Uniongyrchol mewn "
        "cwmni cydweithredol.",
    ),
    "layout.api_docs": ("The API for developers (in English)", "Yr API i ddatblygwyr (yn Saesneg)"),
    "nav.directory": ("Find care", "Dod o hyd i ofal"),
    "nav.tenders": ("Tenders", "Tendrau"),
    "nav.coops": ("Co-operatives", "Cwmnïau cydweithredol"),
    "nav.home": ("Your home page", "Eich tudalen gartref"),
    "nav.account": ("Your account", "Eich cyfrif"),
    "nav.sign_in": ("Sign in", "Mewngofnodi"),
    "nav.sign_up": ("Create an account", "Creu cyfrif"),
    "nav.sign_out": ("Sign out", "Allgofnodi"),
    "common.next_page": ("Next page", "Y dudalen nesaf"),
    "common.none": ("None", "Dim"),
    "form.problem": ("There is a problem", "Mae problem"),
    "form.error_prefix": ("Error:", "Gwall:"),
    "form.pounds_hint": (
        "In pounds and pence, for example 25.50",
        "Mewn punnoedd a cheiniogau, er enghraifft 25.50",
    ),
    "form.date_hint": ("For example 2026-03-27", "Er enghraifft 2026-03-27"),
    "error.pounds": (
        "Enter an amount in pounds and pence, like 25.50",
        "Rhowch swm mewn punnoedd a cheiniogau, fel 25.50",
    ),
    "error.day": (
        "Enter a date as year-month-day, like 2026-03-27",
        "Rhowch ddyddiad ar ffurf blwyddyn-mis-dydd, fel 2026-03-27",
    ),
    "error.not_found_title": ("Page not found", "Heb ddod o hyd i'r dudalen"),
    "error.not_found_body": (
        "There is no such page, or it is not one you can see. Check the address, or start "
        "again from the home page.",
        "Does dim tudalen o'r fath, neu nid yw'n un y gallwch ei gweld. Gwiriwch y cyfeiriad, "
        "neu dechreuwch eto o'r dudalen gartref.",
    ),
    "error.forbidden_title": ("The form could not be sent", "Nid oedd modd anfon y ffurflen"),
    "error.forbidden_body": (
        "For your safety the form was refused: it may have been open too long, or sent from "
        "another site. Go back, reload the page and try again.",
        "Er eich diogelwch gwrthodwyd y ffurflen: efallai ei bod wedi bod ar agor yn rhy hir, "
        "neu wedi'i hanfon o wefan arall. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig "
        "arall arni.",
    ),
    "error.other_title": ("Something went wrong", "Aeth rhywbeth o'i le"),
    "error.other_body": ("Please try again later.", "Rhowch gynnig arall arni yn nes ymlaen."),
    "error.go_home": ("Go to the home page", "Mynd i'r dudalen gartref"),
    "done.welcome": (
        "Your account is ready and you are signed in.",
        "Mae eich cyfrif yn barod ac rydych wedi mewngofnodi.",
    ),
    "done.signed_out": ("You have signed out.", "Rydych wedi allgofnodi."),
    "done.password_reset": (
        "Your password has been changed. Sign in with your new password.",
        "Mae eich cyfrinair wedi'i newid. Mewngofnodwch gyda'ch cyfrinair newydd.",
    ),
    "done.reset_sent": (
        "If that address has an account, a reset code is on its way to it.",
        "Os oes cyfrif gan y cyfeiriad hwnnw, mae cod ailosod ar ei ffordd ato.",
    ),
    "done.login_ended": ("That sign-in has ended.", "Mae'r mewngofnodiad hwnnw wedi dod i ben."),
    "done.closed": (
        "Your account is closed. Thank you for being with us.",
        "Mae eich cyfrif wedi'i gau. Diolch am fod gyda ni.",
    ),
    "done.dp_recorded": (
        "Your Direct Payment has been recorded. Your council will confirm it.",
        "Mae eich Taliad Uniongyrchol wedi'i gofnodi. Bydd eich cyngor yn ei gadarnhau.",
    ),
    "done.approved": ("Approved.", "Wedi'i gymeradwyo."),
    "done.refused": ("Refused.", "Wedi'i wrthod."),
    "done.paid": ("Your payment has been recorded.", "Mae eich taliad wedi'i gofnodi."),
    "done.voted": ("Your vote has been counted.", "Mae eich pleidlais wedi'i chyfrif."),
    "done.asked": (
        "Your request has been sent to the support desk.",
        "Mae eich cais wedi'i anfon at y ddesg gymorth.",
    ),
    "done.disputed": (
        "The line is disputed: the invoice waits until an administrator settles it.",
        "Mae'r llinell dan anghydfod: mae'r anfoneb yn aros nes i weinyddwr ei setlo.",
    ),
    "done.invoice_approved": (
        "The invoice is approved and each member has been charged their lines.",
        "Mae'r anfoneb wedi'i chymeradwyo a chodwyd tâl ar bob aelod am ei linellau.",
    ),
    "done.member_approved": ("The member has been admitted.", "Mae'r aelod wedi'i dderbyn."),
}
