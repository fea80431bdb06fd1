"""English and Welsh labels for every audit action: `/reference/labels` (`audit_action`) and the
`description` of each `/me/activity` item. A test fails when an action the code records has
no label here."""

from app.core.i18n import Language


def _pairs(**values: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {value: {"en": en, "cy": cy} for value, (en, cy) in values.items()}


def _group(prefix: str, **values: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {f"{prefix}.{name}": texts for name, texts in _pairs(**values).items()}


AUDIT_ACTIONS: dict[str, dict[str, str]] = {
    **_group(
        "user",
        registered=("Account created", "Cyfrif wedi'i greu"),
        updated=("Profile changed", "Proffil wedi'i newid"),
        password_changed=("Password changed", "Cyfrinair wedi'i newid"),
        password_reset_requested=(
            "Password reset asked for",
            "Gofynnwyd am ailosod cyfrinair",
        ),
        password_reset=("Password reset", "Cyfrinair wedi'i ailosod"),
        email_change_requested=(
            "Change of e-mail address asked for",
            "Gofynnwyd am newid cyfeiriad e-bost",
        ),
        email_changed=("E-mail address changed", "Cyfeiriad e-bost wedi'i newid"),
        looked_up=(
            "Account looked up by a platform administrator",
            "Gweinyddwr y platfform wedi chwilio am y cyfrif",
        ),
        made_platform_admin=(
            "Made a platform administrator",
            "Wedi'i wneud yn weinyddwr y platfform",
        ),
        closed=("Account closed", "Cyfrif wedi'i gau"),
    ),
    **_group(
        "auth",
        login=("Signed in", "Wedi mewngofnodi"),
        logout=("Signed out", "Wedi allgofnodi"),
        login_ended=("A login ended", "Daeth mewngofnodiad i ben"),
        login_revoked=(
            "A login stopped: a used refresh token came back",
            "Ataliwyd mewngofnodiad: daeth tocyn adnewyddu a ddefnyddiwyd yn ôl",
        ),
    ),
    **_group(
        "la_officer",
        appointed=("Appointed a council officer", "Wedi'i benodi'n swyddog cyngor"),
        ended=("Council officer appointment ended", "Daeth penodiad swyddog cyngor i ben"),
    ),
    **_group(
        "api_client",
        created=("Council API client registered", "Cleient API cyngor wedi'i gofrestru"),
        revoked=("Council API client revoked", "Cleient API cyngor wedi'i ddirymu"),
    ),
    **_group(
        "provider",
        created=("Provider registered", "Darparwr wedi'i gofrestru"),
        updated=("Provider details changed", "Manylion y darparwr wedi'u newid"),
        verified=("Provider verified", "Darparwr wedi'i ddilysu"),
        changes_requested=(
            "Listing changes asked for, waiting for a platform administrator",
            "Gofynnwyd am newidiadau i'r rhestriad, yn aros am weinyddwr y platfform",
        ),
        changes_withdrawn=(
            "Listing changes withdrawn",
            "Newidiadau i'r rhestriad wedi'u tynnu'n ôl",
        ),
        changes_applied=("Listing changes applied", "Newidiadau i'r rhestriad wedi'u cymhwyso"),
        changes_rejected=("Listing changes refused", "Newidiadau i'r rhestriad wedi'u gwrthod"),
        suspended=("Provider suspended", "Darparwr wedi'i atal"),
        staff_added=("Added to a provider's staff", "Wedi'i ychwanegu at staff darparwr"),
        staff_removed=("Taken off a provider's staff", "Wedi'i dynnu oddi ar staff darparwr"),
    ),
    **_group(
        "coop",
        created=("Co-operative founded", "Cydweithfa wedi'i sefydlu"),
        updated=("Co-operative details changed", "Manylion y gydweithfa wedi'u newid"),
        rule_change_proposed=(
            "Change to the co-operative's rules proposed",
            "Cynigiwyd newid i reolau'r gydweithfa",
        ),
        rule_change_approved=(
            "Change to the co-operative's rules approved",
            "Cymeradwywyd newid i reolau'r gydweithfa",
        ),
        rule_change_withdrawn=(
            "Change to the co-operative's rules withdrawn",
            "Tynnwyd newid i reolau'r gydweithfa yn ôl",
        ),
        rule_change_superseded=(
            "Change to the co-operative's rules replaced by a later one",
            "Disodlwyd newid i reolau'r gydweithfa gan un diweddarach",
        ),
    ),
    **_group(
        "member",
        founded=("Founding member", "Aelod sefydlu"),
        applied=("Applied to join", "Wedi gwneud cais i ymuno"),
        approved=("Membership approved", "Aelodaeth wedi'i chymeradwyo"),
        reinstated=("Membership reinstated", "Aelodaeth wedi'i hadfer"),
        suspended=("Membership suspended", "Aelodaeth wedi'i hatal"),
        left=("Left the co-operative", "Wedi gadael y gydweithfa"),
        admin_granted=("Made an administrator", "Wedi'i wneud yn weinyddwr"),
        admin_removed=("No longer an administrator", "Ddim yn weinyddwr mwyach"),
        safeguarding_lead_marked=("Made a safeguarding lead", "Wedi'i wneud yn arweinydd diogelu"),
        safeguarding_lead_unmarked=(
            "No longer a safeguarding lead",
            "Ddim yn arweinydd diogelu mwyach",
        ),
    ),
    **_group(
        "direct_payment",
        recorded=("Direct Payment award recorded", "Dyfarniad Taliad Uniongyrchol wedi'i gofnodi"),
        changed=("Direct Payment award changed", "Dyfarniad Taliad Uniongyrchol wedi'i newid"),
        confirmed=(
            "Direct Payment award confirmed by the council",
            "Dyfarniad Taliad Uniongyrchol wedi'i gadarnhau gan y cyngor",
        ),
        corrected=(
            "Direct Payment award corrected by the council",
            "Dyfarniad Taliad Uniongyrchol wedi'i gywiro gan y cyngor",
        ),
        rejected=(
            "Direct Payment award rejected by the council",
            "Dyfarniad Taliad Uniongyrchol wedi'i wrthod gan y cyngor",
        ),
    ),
    **_group(
        "mandate",
        granted=("Representative given a mandate", "Mandad wedi'i roi i gynrychiolydd"),
        accepted=("Mandate accepted", "Mandad wedi'i dderbyn"),
        declined=("Mandate declined", "Mandad wedi'i wrthod"),
        revoked=("Mandate revoked", "Mandad wedi'i ddirymu"),
        conflict_found=(
            "Mandate's money scopes stopped by a conflict of interest",
            "Cwmpasau arian mandad wedi'u hatal gan wrthdaro buddiannau",
        ),
    ),
    **_group(
        "approval",
        requested=("Approval asked for", "Gofynnwyd am gymeradwyaeth"),
        approved=("Approved", "Wedi'i gymeradwyo"),
        refused=("Refused", "Wedi'i wrthod"),
        admin_approved=(
            "Approved by one of two administrators",
            "Wedi'i gymeradwyo gan un o ddau weinyddwr",
        ),
    ),
    **_group(
        "capacity",
        change_requested=(
            "Change to a member's capacity asked for",
            "Gofynnwyd am newid i alluedd aelod",
        ),
        change_applied=(
            "Change to a member's capacity agreed by a second administrator",
            "Newid i alluedd aelod wedi'i gytuno gan ail weinyddwr",
        ),
        change_superseded=(
            "Request about a member's capacity replaced",
            "Cais am alluedd aelod wedi'i ddisodli",
        ),
    ),
    **_group(
        "safeguarding_concern",
        raised=("Safeguarding concern raised", "Pryder diogelu wedi'i godi"),
    ),
    **_group(
        "bank",
        statement_imported=("Bank statement imported", "Cyfriflen banc wedi'i mewnforio"),
        line_matched=(
            "Bank statement line matched to the ledger",
            "Llinell cyfriflen banc wedi'i pharu â'r cyfriflyfr",
        ),
        line_ignored=(
            "Bank statement line set aside",
            "Llinell cyfriflen banc wedi'i rhoi o'r neilltu",
        ),
    ),
    **_group(
        "ledger",
        contribution=("Money paid into the pool", "Arian wedi'i dalu i'r gronfa"),
        refund=("Refund paid out", "Ad-daliad wedi'i dalu"),
        leaving_refund=(
            "Balance refunded on leaving",
            "Balans wedi'i ad-dalu wrth adael",
        ),
        invoice_approval=("Invoice approved for payment", "Anfoneb wedi'i chymeradwyo i'w thalu"),
        invoice_payment=("Provider paid", "Darparwr wedi'i dalu"),
        support_charge=("Charge for a shared service", "Tâl am wasanaeth a rennir"),
        payroll=("Payroll costs", "Costau cyflogres"),
        reversal=("Correction (reversal)", "Cywiriad (gwrthdroi)"),
    ),
    **_group(
        "worker",
        added=("Worker added", "Gweithiwr wedi'i ychwanegu"),
    ),
    **_group(
        "employment",
        created=("Worker employed", "Gweithiwr wedi'i gyflogi"),
    ),
    **_group(
        "timesheet",
        submitted=("Timesheet written", "Taflen amser wedi'i hysgrifennu"),
        confirmed=("Timesheet confirmed", "Taflen amser wedi'i chadarnhau"),
    ),
    **_group(
        "payroll",
        exported=("Payroll exported for the bureau", "Cyflogres wedi'i hallforio i'r swyddfa"),
        posted=("Payroll results posted", "Canlyniadau'r gyflogres wedi'u cofnodi"),
        member_charged=("Payroll costs paid", "Costau cyflogres wedi'u talu"),
    ),
    **_group(
        "refund",
        requested=("Refund asked for", "Gofynnwyd am ad-daliad"),
        holder_approved=(
            "Refund approved by the holder",
            "Ad-daliad wedi'i gymeradwyo gan y deiliad",
        ),
        approved=("Refund approved", "Ad-daliad wedi'i gymeradwyo"),
        refused=("Refund refused", "Ad-daliad wedi'i wrthod"),
    ),
    **_group(
        "proposal",
        opened=("Proposal opened", "Cynnig wedi'i agor"),
        vote_cast=("Vote cast", "Pleidlais wedi'i bwrw"),
        vote_changed=("Vote changed", "Pleidlais wedi'i newid"),
        closed=("Proposal closed", "Cynnig wedi'i gau"),
    ),
    **_group(
        "tender",
        created=("Tender drafted", "Tendr wedi'i ddrafftio"),
        updated=("Tender changed", "Tendr wedi'i newid"),
        published=("Tender published", "Tendr wedi'i gyhoeddi"),
        demand_set=("Hours needed stated", "Oriau sydd eu hangen wedi'u nodi"),
        demand_withdrawn=("Hours needed withdrawn", "Oriau sydd eu hangen wedi'u tynnu'n ôl"),
        question_asked=("Clarification asked for", "Gofynnwyd am eglurhad"),
        question_answered=("Clarification answered", "Eglurhad wedi'i ateb"),
        bid_submitted=("Bid submitted", "Cynnig tendr wedi'i gyflwyno"),
        bid_amended=("Bid amended", "Cynnig tendr wedi'i newid"),
        bid_withdrawn=("Bid withdrawn", "Cynnig tendr wedi'i dynnu'n ôl"),
        bidding_closed=("Bidding closed", "Cynigion wedi cau"),
        bid_scored=("Bid scored", "Cynnig tendr wedi'i sgorio"),
        award_proposed=(
            "Award put to the members' vote",
            "Dyfarniad wedi'i roi i bleidlais yr aelodau",
        ),
        award_rejected=("Award rejected by the members", "Dyfarniad wedi'i wrthod gan yr aelodau"),
        awarded=("Tender awarded", "Tendr wedi'i ddyfarnu"),
        cancelled=("Tender cancelled", "Tendr wedi'i ganslo"),
    ),
    **_group(
        "contract",
        created=("Contract signed", "Contract wedi'i lofnodi"),
        call_off_ended=("Care under the contract ended", "Gofal dan y contract wedi dod i ben"),
        end_set=("Contract's last day set", "Diwrnod olaf y contract wedi'i osod"),
        ended=("Contract ended", "Contract wedi dod i ben"),
        variation_proposed=(
            "Contract rate change proposed",
            "Cynigiwyd newid i gyfradd y contract",
        ),
        variation_applied=("Contract rate change in force", "Newid i gyfradd y contract mewn grym"),
        variation_rejected=(
            "Contract rate change rejected",
            "Newid i gyfradd y contract wedi'i wrthod",
        ),
    ),
    **_group(
        "invoice",
        submitted=("Invoice submitted", "Anfoneb wedi'i chyflwyno"),
        line_disputed=("Invoice line disputed", "Llinell anfoneb dan anghydfod"),
        line_resolved=("Invoice dispute settled", "Anghydfod anfoneb wedi'i setlo"),
        line_accepted=("Invoice line accepted", "Llinell anfoneb wedi'i derbyn"),
        approved=("Invoice approved", "Anfoneb wedi'i chymeradwyo"),
        paid=("Invoice paid", "Anfoneb wedi'i thalu"),
    ),
    **_group(
        "visit",
        recorded=("Visit recorded", "Ymweliad wedi'i gofnodi"),
        confirmed=("Visit confirmed", "Ymweliad wedi'i gadarnhau"),
        queried=("Visit queried", "Ymweliad wedi'i gwestiynu"),
        resolved=("Visit query settled", "Cwestiwn am ymweliad wedi'i setlo"),
        rejected=(
            "Visit rejected with a disputed invoice line",
            "Ymweliad wedi'i wrthod gyda llinell anfoneb dan anghydfod",
        ),
    ),
    **_group(
        "support",
        subscribed=("Joined a shared service", "Wedi ymuno â gwasanaeth a rennir"),
        unsubscribed=("Left a shared service", "Wedi gadael gwasanaeth a rennir"),
    ),
    **_group(
        "support_service",
        created=("Shared service offered", "Gwasanaeth a rennir wedi'i gynnig"),
    ),
    **_group(
        "support_charge",
        posted=("Shared service charged", "Tâl am wasanaeth a rennir wedi'i godi"),
        member_charged=(
            "Charged for a shared service",
            "Wedi codi tâl am wasanaeth a rennir",
        ),
    ),
    **_group(
        "support_request",
        raised=("Support request raised", "Cais am gymorth wedi'i godi"),
        assigned=("Support request assigned", "Cais am gymorth wedi'i neilltuo"),
        status_changed=("Support request updated", "Cais am gymorth wedi'i ddiweddaru"),
        commented=("Comment on a support request", "Sylw ar gais am gymorth"),
    ),
    **_group(
        "notification",
        preferences_changed=(
            "Notification e-mail choices changed",
            "Dewisiadau e-bost hysbysiadau wedi'u newid",
        ),
    ),
    **_group(
        "webhook",
        created=("Webhook added", "Bachyn gwe wedi'i ychwanegu"),
        deleted=("Webhook removed", "Bachyn gwe wedi'i dynnu"),
    ),
    **_group(
        "compliance",
        recorded=("Compliance record filed", "Cofnod cydymffurfio wedi'i gofnodi"),
    ),
    **_group(
        "ocds",
        release_published=("Open data release published", "Datganiad data agored wedi'i gyhoeddi"),
    ),
    **_group(
        "council_access",
        granted=(
            "Evidence shared with the council that pays the Direct Payment",
            "Tystiolaeth wedi'i rhannu â'r cyngor sy'n talu'r Taliad Uniongyrchol",
        ),
        ended=(
            "Sharing evidence with the council ended",
            "Daeth rhannu tystiolaeth â'r cyngor i ben",
        ),
        listed=(
            "The council saw that this evidence is shared with it",
            "Gwelodd y cyngor fod y dystiolaeth hon yn cael ei rhannu ag ef",
        ),
    ),
    **_group(
        "evidence",
        read_by_council=(
            "The council read the evidence of the Direct Payment's use",
            "Darllenodd y cyngor dystiolaeth defnydd y Taliad Uniongyrchol",
        ),
    ),
    **_group(
        "monitoring_profile",
        set=(
            "A council's monitoring profile set",
            "Proffil monitro cyngor wedi'i osod",
        ),
    ),
    **_group(
        "stats",
        wales_published=(
            "Monthly all-Wales figures published",
            "Ffigurau misol Cymru gyfan wedi'u cyhoeddi",
        ),
    ),
}


def describe_action(action: str, language: Language) -> str:
    """The action's label in `language`; an action without one is shown as its code."""
    texts = AUDIT_ACTIONS.get(action)
    return texts[language] if texts else action
