"""Tender, bid, contract and invoice errors."""

from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.direct_payments.errors import NotAHolder


class TenderNotFound(NotFound):
    detail = "There is no such tender, or you may not see it."
    detail_cy = "Nid oes tendr o'r fath, neu ni chewch ei weld."


class InvalidTenderTransition(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "The tender is {status}: that cannot be done now."
    detail_cy = "Mae statws y tendr yn {status}: ni ellir gwneud hynny nawr."


class NotCoopMember(Forbidden):
    detail = "Only active members of the tender's co-operative may do this."
    detail_cy = "Dim ond aelodau gweithredol o gwmni cydweithredol y tendr gaiff wneud hyn."


class DeadlineNotInFuture(Unprocessable):
    code = "deadline_not_in_future"
    title, title_cy = "Deadline not in the future", "Nid yw'r dyddiad cau yn y dyfodol"
    detail = "A tender can only be published while its submission deadline is still to come."
    detail_cy = "Dim ond tra bo'r dyddiad cau ar gyfer cynigion eto i ddod y gellir cyhoeddi tendr."


class DemandNotAHolder(NotAHolder):
    detail = (
        "Only Direct Payment holders (members of the service_user class) declare demand: the "
        "care is bought with the money they pool."
    )
    detail_cy = (
        "Dim ond deiliaid Taliadau Uniongyrchol (aelodau o'r dosbarth defnyddiwr gwasanaeth) "
        "sy'n datgan galw: prynir y gofal gyda'r arian y maent yn ei gronni."
    )


class QuestionNotFound(NotFound):
    detail = "There is no such question on this tender."
    detail_cy = "Nid oes cwestiwn o'r fath ar y tendr hwn."


class AlreadyAnswered(Conflict):
    code = "already_answered"
    title, title_cy = "Already answered", "Wedi'i ateb eisoes"
    detail = "This question has been answered; a published answer is not changed."
    detail_cy = "Mae'r cwestiwn hwn wedi'i ateb; ni chaiff ateb a gyhoeddwyd ei newid."


class NotProviderStaff(Forbidden):
    detail = "Only the staff of a care provider may do this."
    detail_cy = "Dim ond staff darparwr gofal gaiff wneud hyn."


class ProviderNotEligible(Forbidden):
    code = "provider_not_eligible"
    title, title_cy = "Provider not eligible", "Darparwr heb fod yn gymwys"
    detail = (
        "Only a verified provider that serves every area of the tender and offers its service "
        "type may bid."
    )
    detail_cy = (
        "Dim ond darparwr wedi'i ddilysu sy'n gwasanaethu pob ardal yn y tendr ac yn cynnig ei "
        "fath o wasanaeth gaiff gynnig."
    )


class ProviderPaperworkLapsed(ProviderNotEligible):
    detail = (
        "The provider's public liability insurance or CIW registration on record with this "
        "co-operative has lapsed (see `lapsed`): the co-operative records its renewal before "
        "the provider may bid."
    )
    detail_cy = (
        "Mae yswiriant atebolrwydd cyhoeddus neu gofrestriad AGC y darparwr sydd ar gofnod gyda'r "
        "cwmni cydweithredol hwn wedi dod i ben (gweler `lapsed`): mae'r cwmni cydweithredol yn "
        "cofnodi ei adnewyddu cyn y caiff y darparwr gynnig."
    )

    def __init__(self, lapsed: list[str]) -> None:
        super().__init__(extra={"lapsed": lapsed})


class BidExists(Conflict):
    code = "bid_exists"
    title, title_cy = "Bid exists", "Mae cynnig eisoes"
    detail = "Your provider has already bid for this tender: amend or withdraw that bid instead."
    detail_cy = (
        "Mae eich darparwr eisoes wedi cynnig am y tendr hwn: diwygiwch neu tynnwch y cynnig "
        "hwnnw'n ôl yn lle hynny."
    )


class SubmissionClosed(Conflict):
    code = "submission_closed"
    title, title_cy = "Submission closed", "Cyflwyno wedi cau"
    detail = "This tender is no longer taking bids or questions: its deadline has passed."
    detail_cy = "Nid yw'r tendr hwn yn derbyn cynigion na chwestiynau mwyach: mae'r dyddiad cau wedi mynd heibio."


class RateAboveCeiling(Unprocessable):
    code = "rate_above_ceiling"
    title, title_cy = "Rate above the ceiling", "Cyfradd uwchlaw'r uchafswm"
    detail = "The hourly rate may not exceed the tender's ceiling of {max_hourly_rate_pence} pence."
    detail_cy = (
        "Ni chaiff y gyfradd yr awr fod yn uwch nag uchafswm y tendr, sef "
        "{max_hourly_rate_pence} ceiniog."
    )


class WelshOfferTooLow(Unprocessable):
    code = "welsh_offer_too_low"
    title, title_cy = "Welsh language offer too low", "Cynnig Cymraeg yn rhy isel"
    detail = "The tender asks for at least '{required}' Welsh language provision."
    detail_cy = "Mae'r tendr yn gofyn am ddarpariaeth Gymraeg o '{required}' o leiaf."


class BidNotFound(NotFound):
    detail = "There is no such bid on this tender, or you may not see it."
    detail_cy = "Nid oes cynnig o'r fath ar y tendr hwn, neu ni chewch ei weld."


class BidsSealed(Forbidden):
    code = "bids_sealed"
    title, title_cy = "Bids sealed", "Cynigion wedi'u selio"
    detail = "Bids stay sealed until the submission deadline: only a bidder sees its own bid."
    detail_cy = (
        "Mae cynigion yn aros wedi'u selio tan y dyddiad cau: dim ond cynigydd sy'n gweld ei "
        "gynnig ei hun."
    )


class BidsNotVisible(Forbidden):
    detail = (
        "Only the co-operative's administrators and platform administrators see the bids; a "
        "bidder sees its own."
    )
    detail_cy = (
        "Dim ond gweinyddwyr y cwmni cydweithredol a gweinyddwyr y platfform sy'n gweld y "
        "cynigion; mae cynigydd yn gweld ei gynnig ei hun."
    )


class BidsNotScored(Conflict):
    code = "bids_not_scored"
    title, title_cy = "Bids not scored", "Cynigion heb eu sgorio"
    detail = "Every bid must have a quality score before the tender is awarded."
    detail_cy = "Rhaid i bob cynnig gael sgôr ansawdd cyn dyfarnu'r tendr."


class StandstillNotOver(Conflict):
    code = "standstill_not_over"
    title, title_cy = "Standstill not over", "Cyfnod segur heb ddod i ben"
    detail = "The standstill period ends at {standstill_ends_at}; the contract can follow then."
    detail_cy = (
        "Daw'r cyfnod segur i ben am {standstill_ends_at}; gall y contract ddilyn bryd hynny."
    )


class ContractNotFound(NotFound):
    detail = "There is no such contract, or you may not see it."
    detail_cy = "Nid oes contract o'r fath, neu ni chewch ei weld."


class InvoiceNotFound(NotFound):
    detail = "There is no such invoice, or you may not see it."
    detail_cy = "Nid oes anfoneb o'r fath, neu ni chewch ei gweld."


class InvoiceLineNotFound(NotFound):
    detail = "There is no such line on this invoice, or you may not see it."
    detail_cy = "Nid oes llinell o'r fath ar yr anfoneb hon, neu ni chewch ei gweld."


class InvalidInvoiceTransition(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "The invoice or line is {status}: that cannot be done now."
    detail_cy = "Mae statws yr anfoneb neu'r llinell yn {status}: ni ellir gwneud hynny nawr."


class NoCallOff(Unprocessable):
    code = "no_call_off"
    title, title_cy = "No call-off", "Dim galwad"
    detail = "A line names a member who has no call-off under this contract (see members)."
    detail_cy = "Mae llinell yn enwi aelod heb alwad o dan y contract hwn (gweler members)."


class BeyondCallOff(Unprocessable):
    code = "beyond_call_off"
    title, title_cy = "Beyond the call-off", "Y tu hwnt i'r alwad"
    detail = (
        "The minutes invoiced for some members in this period, with those already invoiced for "
        "overlapping periods, exceed their called-off hours (see members)."
    )
    detail_cy = (
        "Mae'r munudau a anfonebwyd i rai aelodau yn y cyfnod hwn, ynghyd â'r rhai a anfonebwyd "
        "eisoes am gyfnodau sy'n gorgyffwrdd, yn fwy na'u horiau galw (gweler members)."
    )


class InvoiceDisputed(Conflict):
    code = "invoice_disputed"
    title, title_cy = "Invoice disputed", "Anfoneb dan anghydfod"
    detail = "A line of this invoice is disputed: an administrator must resolve it first."
    detail_cy = "Mae llinell o'r anfoneb hon dan anghydfod: rhaid i weinyddwr ei datrys yn gyntaf."


class NotTheLinesMember(Forbidden):
    detail = (
        "Only the member the line is charged to, or their representative, may dispute or accept it."
    )
    detail_cy = (
        "Dim ond yr aelod y codir y llinell arno, neu ei gynrychiolydd, gaiff ei herio neu ei "
        "derbyn."
    )


class NoReleases(NotFound):
    code = "no_releases"
    title, title_cy = "No releases", "Dim datganiadau"
    detail = "No tender has been published in this area yet."
    detail_cy = "Nid oes tendr wedi'i gyhoeddi yn yr ardal hon eto."


class CallOffNotFound(NotFound):
    detail = "This contract has no call-off for that member, or you may not see it."
    detail_cy = "Nid oes gan y contract hwn alwad ar gyfer yr aelod hwnnw, neu ni chewch ei gweld."


class NotCallOffParty(Forbidden):
    detail = "Only the member, or the co-operative's administrators, may end a call-off."
    detail_cy = "Dim ond yr aelod, neu weinyddwyr y cwmni cydweithredol, gaiff ddod â galwad i ben."


class CallOffEnded(Conflict):
    code = "call_off_ended"
    title, title_cy = "Call-off already ended", "Mae'r alwad eisoes wedi dod i ben"
    detail = "This call-off has already ended; its last day is {last_day}."
    detail_cy = "Mae'r alwad hon eisoes wedi dod i ben; ei diwrnod olaf yw {last_day}."


class ContractEnded(Conflict):
    code = "contract_ended"
    title, title_cy = "Contract ended", "Contract wedi dod i ben"
    detail = "This contract's last day is {last_day}: it cannot be ended again or varied after it."
    detail_cy = (
        "Diwrnod olaf y contract hwn yw {last_day}: ni ellir dod ag ef i ben eto na'i amrywio "
        "ar ôl hynny."
    )


class InvoicedPeriod(Unprocessable):
    code = "invoiced_period"
    title, title_cy = "Period already invoiced", "Cyfnod wedi'i anfonebu eisoes"
    detail = (
        "Care up to {last_invoiced_day} has been invoiced at the rate then in force: a new rate "
        "may start on {first_free_day} at the earliest."
    )
    detail_cy = (
        "Mae gofal hyd at {last_invoiced_day} wedi'i anfonebu ar y gyfradd a oedd mewn grym "
        "bryd hynny: gall cyfradd newydd ddechrau ar {first_free_day} ar y cynharaf."
    )


class VariationPending(Conflict):
    code = "variation_pending"
    title, title_cy = "Variation waiting for the vote", "Amrywiad yn aros am y bleidlais"
    detail = (
        "The members are voting on a new rate from {from_date}: care from that day is invoiced, "
        "and another variation made, once the vote has closed."
    )
    detail_cy = (
        "Mae'r aelodau'n pleidleisio ar gyfradd newydd o {from_date}: caiff gofal o'r diwrnod "
        "hwnnw ei anfonebu, a gwneir amrywiad arall, pan fydd y bleidlais wedi cau."
    )


class PeriodSpansVariation(Unprocessable):
    code = "period_spans_variation"
    title, title_cy = "Period spans a change of rate", "Cyfnod yn croesi newid cyfradd"
    detail = (
        "The rate changes on {from_dates} within this period: invoice the days before and from "
        "each change separately."
    )
    detail_cy = (
        "Mae'r gyfradd yn newid ar {from_dates} o fewn y cyfnod hwn: anfonebwch y diwrnodau cyn "
        "ac o bob newid ar wahân."
    )


class AwardRejected(Conflict):
    code = "award_rejected"
    title, title_cy = "Award rejected by the members", "Dyfarniad wedi'i wrthod gan yr aelodau"
    detail = (
        "The members voted against awarding the tender to this bid: it cannot be put to them "
        "again. Award another bid, or cancel the tender."
    )
    detail_cy = (
        "Pleidleisiodd yr aelodau yn erbyn dyfarnu'r tendr i'r cynnig hwn: ni ellir ei roi "
        "iddynt eto. Dyfarnwch gynnig arall, neu canslwch y tendr."
    )
