"""English and Welsh labels for every enum value the API speaks, kept in one catalogue.

Front ends read these from GET /api/v1/reference/labels and keep no copy of their own.
A test checks that every value of every enum the API uses has both texts here.
"""

from app.reference.audit_actions import AUDIT_ACTIONS

Labels = dict[str, dict[str, dict[str, str]]]


def _pairs(**values: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {value: {"en": en, "cy": cy} for value, (en, cy) in values.items()}


LABELS: Labels = {
    "service_type": _pairs(
        domiciliary_support=("Domiciliary support", "Cymorth yn y cartref"),
        personal_assistant=("Personal assistant", "Cynorthwyydd personol"),
        respite=("Respite care", "Gofal seibiant"),
        day_opportunities=("Day opportunities", "Cyfleoedd dydd"),
        supported_living=("Supported living", "Byw â chymorth"),
        adult_placement=("Adult placement", "Lleoli oedolion"),
        care_home_adults=("Care home (adults)", "Cartref gofal (oedolion)"),
        community_support=("Community support", "Cymorth cymunedol"),
    ),
    "welsh_language": _pairs(
        none=("No Welsh", "Dim Cymraeg"),
        some=("Some staff speak Welsh", "Rhai staff yn siarad Cymraeg"),
        full=(
            "Whole service in Welsh (the Active Offer)",
            "Y gwasanaeth cyfan yn Gymraeg (y Cynnig Rhagweithiol)",
        ),
    ),
    "provider_status": _pairs(
        pending=("Awaiting verification", "Yn aros am ddilysiad"),
        verified=("Verified", "Wedi'i ddilysu"),
        suspended=("Suspended", "Wedi'i atal"),
    ),
    "member_class": _pairs(
        service_user=(
            "Service user (Direct Payment holder)",
            "Defnyddiwr gwasanaeth (deiliad Taliad Uniongyrchol)",
        ),
        carer=("Family carer", "Gofalwr teulu"),
        worker=("Support worker", "Gweithiwr cymorth"),
        community_supporter=("Community supporter", "Cefnogwr cymunedol"),
        local_authority=("Local authority", "Awdurdod lleol"),
    ),
    "tender_status": _pairs(
        draft=("Draft", "Drafft"),
        open=("Open for bids", "Ar agor i gynigion"),
        evaluation=("Evaluation", "Gwerthuso"),
        award_pending_vote=(
            "Award awaiting the members' vote",
            "Dyfarniad yn aros am bleidlais yr aelodau",
        ),
        awarded=("Awarded", "Wedi'i ddyfarnu"),
        contracted=("Contracted", "Dan gontract"),
        cancelled=("Cancelled", "Wedi'i ganslo"),
        unsuccessful=("No valid bid", "Dim cynnig dilys"),
    ),
    "contract_status": _pairs(
        active=("Active", "Gweithredol"),
        ended=("Ended", "Wedi dod i ben"),
    ),
    "invoice_status": _pairs(
        submitted=("Submitted", "Wedi'i chyflwyno"),
        approved=("Approved", "Wedi'i chymeradwyo"),
        paid=("Paid", "Wedi'i thalu"),
    ),
    "invoice_line_status": _pairs(
        ok=("Charged", "I'w godi"),
        disputed=("Disputed", "Dan anghydfod"),
        voided=("Voided: not charged", "Wedi'i dileu: dim tâl"),
    ),
    "dispute_outcome": _pairs(
        upheld=("Upheld: the line is not charged", "Wedi'i gadarnhau: ni chodir y llinell"),
        rejected=("Rejected: the charge stands", "Wedi'i wrthod: mae'r tâl yn sefyll"),
    ),
    "support_category": _pairs(
        payroll=("Payroll", "Cyflogres"),
        dbs_checks=("DBS checks", "Gwiriadau DBS"),
        insurance=("Insurance", "Yswiriant"),
        dp_returns=("Direct Payment returns", "Ffurflenni Taliadau Uniongyrchol"),
        recruitment=("Recruitment", "Recriwtio"),
        training=("Training", "Hyfforddiant"),
        other=("Other", "Arall"),
    ),
    "support_status": _pairs(
        open=("Open", "Ar agor"),
        in_progress=("In progress", "Ar y gweill"),
        resolved=("Resolved", "Wedi'i ddatrys"),
    ),
    "priority": _pairs(
        low=("Low", "Isel"),
        normal=("Normal", "Arferol"),
        urgent=("Urgent", "Brys"),
    ),
    "proposal_status": _pairs(
        open=("Open for votes", "Ar agor i bleidleisio"),
        passed=("Passed", "Wedi'i basio"),
        rejected=("Rejected", "Wedi'i wrthod"),
        no_quorum=("No quorum", "Dim cworwm"),
    ),
    "refund_status": _pairs(
        posted=("Paid out", "Wedi'i dalu"),
        pending_second_approval=("Awaiting a second administrator", "Yn aros am ail weinyddwr"),
        pending_holder_approval=(
            "Awaiting the holder's approval",
            "Yn aros am gymeradwyaeth y deiliad",
        ),
        refused=("Refused", "Wedi'i wrthod"),
    ),
    "member_status": _pairs(
        pending=("Application pending", "Cais yn aros"),
        active=("Active", "Gweithredol"),
        suspended=("Suspended", "Wedi'i atal"),
        left=("Left", "Wedi gadael"),
    ),
    "voting_mode": _pairs(
        one_member_one_vote=("One member, one vote", "Un aelod, un bleidlais"),
        class_weighted=("Weighted by member class", "Wedi'i bwysoli yn ôl dosbarth aelodau"),
    ),
    "proposal_kind": _pairs(
        general=("General", "Cyffredinol"),
        award_tender=("Award of a tender", "Dyfarnu tendr"),
        contract_variation=("Change to a contract's rate", "Newid i gyfradd contract"),
    ),
    "vote_choice": _pairs(
        yes=("Yes", "Ie"),
        no=("No", "Na"),
        abstain=("Abstain", "Ymatal"),
    ),
    "mandate_scope": _pairs(
        view=("See the holder's accounts and requests", "Gweld cyfrifon a cheisiadau'r deiliad"),
        contribute=("Pay in for the holder", "Talu i mewn ar ran y deiliad"),
        vote=("Vote for the holder", "Pleidleisio ar ran y deiliad"),
        refund=("Ask for refunds for the holder", "Gofyn am ad-daliadau ar ran y deiliad"),
        support=(
            "Raise and answer the holder's support requests",
            "Codi ac ateb ceisiadau cymorth y deiliad",
        ),
        share=(
            "Share the holder's evidence with their council",
            "Rhannu tystiolaeth y deiliad â'u cyngor",
        ),
    ),
    "monitoring_period": _pairs(
        four_weekly=("Every four weeks", "Bob pedair wythnos"),
        monthly=("Monthly", "Yn fisol"),
        quarterly=("Quarterly", "Yn chwarterol"),
        annual=("Yearly", "Yn flynyddol"),
    ),
    "mandate_role": _pairs(
        helper=("Helper", "Cynorthwywr"),
        suitable_person=("Suitable person", "Person addas"),
        lpa_property_financial=(
            "Attorney for property and financial affairs",
            "Atwrnai ar gyfer eiddo a materion ariannol",
        ),
        deputy=(
            "Deputy appointed by the Court of Protection",
            "Dirprwy a benodwyd gan y Llys Gwarchod",
        ),
        parent=("Parent", "Rhiant"),
    ),
    "mandate_status": _pairs(
        invited=("Waiting for the representative to accept", "Yn aros i'r cynrychiolydd dderbyn"),
        active=("In force", "Mewn grym"),
        declined=("Declined by the representative", "Wedi'i wrthod gan y cynrychiolydd"),
        revoked=("Revoked", "Wedi'i ddirymu"),
    ),
    "approval_status": _pairs(
        pending=("Waiting for a decision", "Yn aros am benderfyniad"),
        approved=("Approved", "Wedi'i gymeradwyo"),
        refused=("Refused", "Wedi'i wrthod"),
    ),
    "capacity_change_status": _pairs(
        pending=("Awaiting a second administrator", "Yn aros am ail weinyddwr"),
        applied=("In force", "Mewn grym"),
        superseded=("Replaced by a later request", "Wedi'i ddisodli gan gais diweddarach"),
    ),
    "rule_change_status": _pairs(
        pending=("Awaiting a second administrator", "Yn aros am ail weinyddwr"),
        applied=("Applied", "Wedi'i gymhwyso"),
        withdrawn=("Withdrawn", "Wedi'i dynnu'n ôl"),
        superseded=("Superseded by a later change", "Wedi'i ddisodli gan newid diweddarach"),
    ),
    "preferred_language": _pairs(
        en=("English", "Saesneg"),
        cy=("Welsh", "Cymraeg"),
    ),
    "transaction_kind": _pairs(
        contribution=("Contribution", "Cyfraniad"),
        refund=("Refund", "Ad-daliad"),
        leaving_refund=("Refund on leaving", "Ad-daliad wrth adael"),
        invoice_approval=(
            "Care bought (invoice approved)",
            "Gofal a brynwyd (anfoneb wedi'i chymeradwyo)",
        ),
        invoice_payment=("Payment to a provider", "Taliad i ddarparwr"),
        support_charge=("Shared service charge", "Tâl gwasanaeth a rennir"),
        payroll=("Payroll", "Cyflogres"),
        reversal=("Correction (reversal)", "Cywiriad (gwrthdroi)"),
    ),
    "bank_statement_format": _pairs(
        csv=("CSV file", "Ffeil CSV"),
        ofx=("OFX file", "Ffeil OFX"),
    ),
    "bank_line_state": _pairs(
        unmatched=("Not matched yet", "Heb ei pharu eto"),
        matched=("Matched to the ledger", "Wedi'i pharu â'r cyfriflyfr"),
        ignored=("Set aside: nothing to match", "Wedi'i rhoi o'r neilltu: dim i'w baru"),
    ),
    "bank_match_method": _pairs(
        automatic=("Matched on import", "Wedi'i pharu wrth fewnforio"),
        manual=("Matched by an administrator", "Wedi'i pharu gan weinyddwr"),
        contribution=(
            "Contribution posted from the line",
            "Cyfraniad wedi'i gofnodi o'r llinell",
        ),
    ),
    "contribution_source": _pairs(
        direct_payment=("Direct Payment", "Taliad Uniongyrchol"),
        top_up=("Top-up from the holder's own money", "Ychwanegiad o arian y deiliad ei hun"),
        client_contribution=("Client contribution", "Cyfraniad y cleient"),
    ),
    "visit_status": _pairs(
        to_confirm=("To confirm", "I'w gadarnhau"),
        confirmed=("Confirmed", "Wedi'i gadarnhau"),
        queried=("Queried", "Wedi'i gwestiynu"),
        rejected=("Rejected", "Wedi'i wrthod"),
    ),
    "confirmed_by": _pairs(
        member=("Confirmed by the member", "Wedi'i gadarnhau gan yr aelod"),
        representative=("Confirmed by a representative", "Wedi'i gadarnhau gan gynrychiolydd"),
        auto=(
            "Confirmed automatically (nobody queried it in time)",
            "Wedi'i gadarnhau'n awtomatig (ni wnaeth neb ei gwestiynu mewn pryd)",
        ),
        admin=("Confirmed by an administrator", "Wedi'i gadarnhau gan weinyddwr"),
    ),
    "visit_outcome": _pairs(
        confirmed=("The visit stands", "Mae'r ymweliad yn sefyll"),
        rejected=("The visit is rejected", "Mae'r ymweliad wedi'i wrthod"),
    ),
    "award_status": _pairs(
        declared=("Declared by the holder", "Wedi'i ddatgan gan y deiliad"),
        confirmed=("Confirmed by the council", "Wedi'i gadarnhau gan y cyngor"),
        rejected=("Rejected by the council", "Wedi'i wrthod gan y cyngor"),
    ),
    "compliance_kind": _pairs(
        dbs_enhanced=("Enhanced DBS check", "Gwiriad DBS manwl"),
        dbs_basic=("Basic DBS check", "Gwiriad DBS sylfaenol"),
        right_to_work=("Right to work", "Hawl i weithio"),
        employers_liability=("Employer's liability insurance", "Yswiriant atebolrwydd cyflogwr"),
        public_liability=("Public liability insurance", "Yswiriant atebolrwydd cyhoeddus"),
        ciw_registration=(
            "Care Inspectorate Wales registration",
            "Cofrestriad Arolygiaeth Gofal Cymru",
        ),
        training=("Training", "Hyfforddiant"),
        employment_contract=("Contract of employment", "Contract cyflogaeth"),
    ),
    "compliance_subject_kind": _pairs(
        member=("Member", "Aelod"),
        worker=("Worker (personal assistant)", "Gweithiwr (cynorthwyydd personol)"),
        provider=("Care provider", "Darparwr gofal"),
    ),
    "compliance_state": _pairs(
        current=("Current", "Cyfredol"),
        expiring=("Expires within 30 days", "Yn dod i ben o fewn 30 diwrnod"),
        lapsed=("Lapsed", "Wedi dod i ben"),
    ),
    "pay_frequency": _pairs(
        weekly=("Weekly", "Wythnosol"),
        four_weekly=("Every four weeks", "Bob pedair wythnos"),
        monthly=("Monthly", "Misol"),
    ),
    "employer_kind": _pairs(
        member=("Employed by the holder", "Wedi'i gyflogi gan y deiliad"),
        coop=("Employed by the co-operative", "Wedi'i gyflogi gan y cwmni cydweithredol"),
    ),
    "timesheet_status": _pairs(
        submitted=("Waiting for the employer to confirm", "Yn aros i'r cyflogwr gadarnhau"),
        confirmed=("Confirmed by the employer", "Wedi'i gadarnhau gan y cyflogwr"),
    ),
    "notification_type": _pairs(
        **{
            "membership.applied": (
                "Someone applied to join",
                "Mae rhywun wedi gwneud cais i ymuno",
            ),
            "membership.approved": ("Membership approved", "Aelodaeth wedi'i chymeradwyo"),
            "proposal.opened": ("A proposal is open for votes", "Mae cynnig ar agor i bleidleisio"),
            "proposal.closing_soon": ("A proposal closes soon", "Mae cynnig yn cau cyn bo hir"),
            "proposal.closed": ("A proposal closed", "Mae cynnig wedi cau"),
            "approval.waiting": ("Waiting for your approval", "Yn aros am eich cymeradwyaeth"),
            "refund.waiting_second_approval": (
                "A refund waits for a second administrator",
                "Mae ad-daliad yn aros am ail weinyddwr",
            ),
            "refund.posted": ("Refund paid out", "Ad-daliad wedi'i dalu"),
            "contribution.posted": ("Contribution received", "Cyfraniad wedi'i dderbyn"),
            "invoice.submitted": ("New invoice", "Anfoneb newydd"),
            "invoice.approved": ("Invoice approved", "Anfoneb wedi'i chymeradwyo"),
            "visit.to_confirm": ("A visit to confirm", "Ymweliad i'w gadarnhau"),
            "tender.published": ("New tender", "Tendr newydd"),
            "tender.awarded": ("Tender awarded", "Tendr wedi'i ddyfarnu"),
            "support.request_updated": (
                "Support request updated",
                "Cais am gymorth wedi'i ddiweddaru",
            ),
            "support.comment_added": (
                "New comment on a support request",
                "Sylw newydd ar gais am gymorth",
            ),
            "compliance.expiring": ("Paperwork expiring", "Gwaith papur yn dod i ben"),
            "surplus.warning": (
                "More than your council allows is held",
                "Mae mwy nag y mae eich cyngor yn ei ganiatáu yn cael ei gadw",
            ),
            "account.password_changed": ("Password changed", "Cyfrinair wedi'i newid"),
            "account.email_changed": ("E-mail address changed", "Cyfeiriad e-bost wedi'i newid"),
            "account.new_login": (
                "New sign-in to your account",
                "Mewngofnodiad newydd i'ch cyfrif",
            ),
            "mandate.conflict_of_interest": (
                "A representative's money scopes stopped (conflict of interest)",
                "Cwmpasau arian cynrychiolydd wedi'u hatal (gwrthdaro buddiannau)",
            ),
        }
    ),
    "audit_action": AUDIT_ACTIONS,
}
