"""Bank statement errors."""

from app.core.errors import Conflict, NotFound, Unprocessable


class BankLineNotFound(NotFound):
    detail = "There is no such bank statement line in this co-operative."
    detail_cy = "Nid oes llinell cyfriflen banc o'r fath yn y cwmni cydweithredol hwn."


class LedgerTransactionNotFound(NotFound):
    detail = "There is no such transaction in this co-operative's ledger."
    detail_cy = "Nid oes trafodiad o'r fath yng nghyfriflyfr y cwmni cydweithredol hwn."


class MatchMismatch(Unprocessable):
    code = "match_mismatch"
    title, title_cy = (
        "The line and the transaction disagree",
        "Nid yw'r llinell a'r trafodiad yn cytuno",
    )
    detail = (
        "The bank line moved {line_pence} pence and the transaction moved {transaction_pence} "
        "pence into the co-operative's bank: amount and direction must agree."
    )
    detail_cy = (
        "Symudodd y llinell banc {line_pence} ceiniog a symudodd y trafodiad "
        "{transaction_pence} ceiniog i fanc y cwmni cydweithredol: rhaid i'r swm a'r "
        "cyfeiriad gytuno."
    )


class NotMoneyIn(Unprocessable):
    code = "match_mismatch"
    title, title_cy = (
        "The line and the transaction disagree",
        "Nid yw'r llinell a'r trafodiad yn cytuno",
    )
    detail = (
        "Only money paid into the bank ({line_pence} pence here) can be a contribution, of at "
        "most 10,000,000 pence."
    )
    detail_cy = (
        "Dim ond arian a dalwyd i'r banc ({line_pence} ceiniog yma) all fod yn gyfraniad, o "
        "10,000,000 ceiniog ar y mwyaf."
    )


class AlreadyMatched(Conflict):
    code = "already_matched"
    title, title_cy = "Already matched", "Wedi'i baru eisoes"
    detail = "This line, or this transaction, is already matched."
    detail_cy = "Mae'r llinell hon, neu'r trafodiad hwn, wedi'i baru eisoes."


class LineIgnored(Conflict):
    code = "line_ignored"
    title, title_cy = "Line ignored", "Llinell wedi'i hanwybyddu"
    detail = "This line was set aside as ignored; it is not matched to anything."
    detail_cy = "Cafodd y llinell hon ei rhoi o'r neilltu i'w hanwybyddu; nid yw wedi'i pharu."
