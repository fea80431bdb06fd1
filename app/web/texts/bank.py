"""Texts of a co-op's bank pages: statements uploaded, lines matched, the month reconciled."""

BANK: dict[str, tuple[str, str]] = {
    "coopnav.bank": ("Bank and month end", "Banc a diwedd mis"),
    "coopnav.bank_lines": ("Bank lines to match", "Llinellau banc i'w paru"),
    "bank.title": ("Bank and ledger of {name}", "Banc a chyfriflyfr {name}"),
    "bank.upload_title": ("Upload a bank statement", "Lanlwytho cyfriflen banc"),
    "bank.statement": ("Statement file", "Ffeil y gyfriflen"),
    "bank.statement_hint": (
        "A CSV file (columns date, description, and amount in pounds or amount_pence; "
        "reference and balance if the bank gives them) or an OFX file from the bank, up to "
        "{megabytes} MB. Lines already imported are not imported again.",
        "Ffeil CSV (colofnau date, description, ac amount mewn punnoedd neu amount_pence; "
        "reference a balance os yw'r banc yn eu rhoi) neu ffeil OFX gan y banc, hyd at "
        "{megabytes} MB. Ni chaiff llinellau a fewnforiwyd eisoes eu mewnforio eto.",
    ),
    "bank.upload": ("Upload the statement", "Lanlwytho'r gyfriflen"),
    "bank.done_imported": (
        "{imported} new lines imported, {matched} of them matched at once; {duplicates} "
        "lines were already imported.",
        "Mewnforiwyd {imported} llinell newydd, a pharwyd {matched} ohonynt ar unwaith; "
        "roedd {duplicates} llinell wedi'u mewnforio eisoes.",
    ),
    "bank.error_no_file": (
        "Choose the statement file to upload.",
        "Dewiswch ffeil y gyfriflen i'w lanlwytho.",
    ),
    "bank.error_at_line": ("Line {line}: {msg}", "Llinell {line}: {msg}"),
    "bank.error_at_column": (
        "Line {line}, {column}: {msg}",
        "Llinell {line}, {column}: {msg}",
    ),
    "bank.error_month": (
        "Enter a month as year-month, like 2026-03",
        "Rhowch fis ar ffurf blwyddyn-mis, fel 2026-03",
    ),
    "bank.month": ("Month", "Mis"),
    "bank.month_hint": ("For example 2026-03", "Er enghraifft 2026-03"),
    "bank.month_any_hint": (
        "For example 2026-03; leave it empty for every month",
        "Er enghraifft 2026-03; gadewch yn wag ar gyfer pob mis",
    ),
    "bank.month_title": ("Month end of {month}", "Diwedd mis {month}"),
    "bank.show_month": ("Show this month", "Dangos y mis hwn"),
    "bank.reconciliation_title": (
        "The bank against the ledger at the end of {day}",
        "Y banc yn erbyn y cyfriflyfr ar ddiwedd {day}",
    ),
    "bank.bank_balance": ("The bank says it holds", "Mae'r banc yn dweud ei fod yn dal"),
    "bank.ledger_bank": ("The pool holds in the ledger", "Mae'r gronfa'n dal yn y cyfriflyfr"),
    "bank.unmatched_in": ("Money in not matched yet", "Arian i mewn heb ei baru eto"),
    "bank.unmatched_out": ("Money out not matched yet", "Arian allan heb ei baru eto"),
    "bank.difference": ("Difference left to find", "Gwahaniaeth sydd ar ôl i'w ganfod"),
    "bank.difference_hint": (
        "The bank's balance less the ledger's, less money in and plus money out on lines "
        "neither matched nor ignored: nothing when every line is explained.",
        "Balans y banc llai balans y cyfriflyfr, llai arian i mewn a mwy arian allan ar "
        "linellau sydd heb eu paru na'u hanwybyddu: dim pan fo pob llinell wedi'i hesbonio.",
    ),
    "bank.explained": ("Everything explained", "Popeth wedi'i esbonio"),
    "bank.to_find": ("Still to find", "I'w ganfod o hyd"),
    "bank.tallies_title": ("Bank lines of {month}", "Llinellau banc {month}"),
    "bank.state": ("State", "Cyflwr"),
    "bank.lines_count": ("Lines", "Llinellau"),
    "bank.money_in": ("Money in", "Arian i mewn"),
    "bank.money_out": ("Money out", "Arian allan"),
    "bank.all_unmatched": (
        "Every line still to match, of any month",
        "Pob llinell sydd i'w pharu o hyd, o unrhyw fis",
    ),
    "bank.lines_title": ("Bank lines of {name}", "Llinellau banc {name}"),
    "bank.any_state": ("Any state", "Unrhyw gyflwr"),
    "bank.show_lines": ("Show these lines", "Dangos y llinellau hyn"),
    "bank.no_lines": ("No bank line is here.", "Does dim llinell banc yma."),
    "bank.back_to_month": ("Back to the month end", "Yn ôl at ddiwedd y mis"),
    "bank.reference_is": ("Reference {reference}", "Cyfeirnod {reference}"),
    "bank.ignored_because": ("Ignored: {reason}", "Wedi'i hanwybyddu: {reason}"),
    "bank.suggested": (
        "It may be the {kind} of {day}: {memo}",
        "Efallai mai'r {kind} ar {day} yw hi: {memo}",
    ),
    "bank.confirm": ("Confirm this match", "Cadarnhau'r paru hwn"),
    "bank.confirm_what": ("of {line} to {memo}, {day}", "o {line} â {memo}, {day}"),
    "bank.decide": ("Match or ignore this line", "Paru neu anwybyddu'r llinell hon"),
    "bank.done_matched": ("The line is matched.", "Mae'r llinell wedi'i pharu."),
    "bank.done_contributed": (
        "The contribution is posted and the line matched to it.",
        "Mae'r cyfraniad wedi'i gofnodi a'r llinell wedi'i pharu ag ef.",
    ),
    "bank.done_ignored": ("The line is set aside.", "Mae'r llinell wedi'i rhoi o'r neilltu."),
    "bank.line_title": ("Bank line of {day}, {amount}", "Llinell banc {day}, {amount}"),
    "bank.date": ("Date", "Dyddiad"),
    "bank.description": ("Description", "Disgrifiad"),
    "bank.reference": ("Reference", "Cyfeirnod"),
    "bank.amount": ("Amount", "Swm"),
    "bank.in": ("into the bank", "i mewn i'r banc"),
    "bank.out": ("out of the bank", "allan o'r banc"),
    "bank.running_balance": ("Balance after it", "Balans ar ei hôl"),
    "bank.matched_to": ("Matched to", "Wedi'i pharu â"),
    "bank.transaction": ("{kind} of {day}: {memo}", "{kind} ar {day}: {memo}"),
    "bank.decided_at": ("Decided", "Penderfynwyd"),
    "bank.suggestions_title": ("Suggested matches", "Parau a awgrymir"),
    "bank.no_suggestions": (
        "No transaction fits this line by the import's rule: a contribution whose reference "
        "it shows, or a refund or payment of its amount within 5 days.",
        "Does dim trafodiad yn gweddu i'r llinell hon yn ôl rheol y mewnforio: cyfraniad y "
        "mae'n dangos ei gyfeirnod, neu ad-daliad neu daliad o'r un swm o fewn 5 diwrnod.",
    ),
    "bank.by_hand_title": ("Match by hand", "Paru â llaw"),
    "bank.which_transaction": ("Which transaction is it?", "Pa drafodiad yw hi?"),
    "bank.by_hand_hint": (
        "Transactions of the same amount, the same way through the bank, recorded within "
        "{days} days of the line and not matched to another line.",
        "Trafodion o'r un swm, yr un ffordd drwy'r banc, a gofnodwyd o fewn {days} diwrnod i'r "
        "llinell ac nad ydynt wedi'u paru â llinell arall.",
    ),
    "bank.no_by_hand": (
        "No other transaction of this amount, recorded within {days} days, is waiting for a line.",
        "Does dim trafodiad arall o'r swm hwn, a gofnodwyd o fewn {days} diwrnod, yn aros am "
        "linell.",
    ),
    "bank.choose": ("Choose one", "Dewiswch un"),
    "bank.match": ("Match the line", "Paru'r llinell"),
    "bank.contribution_title": ("Record it as a contribution", "Ei chofnodi fel cyfraniad"),
    "bank.contribution_intro": (
        "Money a holder paid in that nobody has recorded yet: the line's amount is paid into "
        "their account, with the same checks as paying in.",
        "Arian a dalodd deiliad i mewn nad oes neb wedi'i gofnodi eto: telir swm y llinell i'w "
        "cyfrif, gyda'r un gwiriadau â thalu i mewn.",
    ),
    "bank.whose_money": ("Which holder paid it in?", "Pa ddeiliad a'i talodd i mewn?"),
    "bank.source": ("What kind of money is it?", "Pa fath o arian yw e?"),
    "bank.no_holders": (
        "The co-operative has no active holder to record it for.",
        "Does gan y cwmni cydweithredol ddim deiliad gweithredol i'w gofnodi ar ei gyfer.",
    ),
    "bank.post_contribution": ("Post the contribution", "Cofnodi'r cyfraniad"),
    "bank.ignore_title": ("Ignore this line", "Anwybyddu'r llinell hon"),
    "bank.reason": ("Why is there nothing to match?", "Pam nad oes dim i'w baru?"),
    "bank.reason_hint": (
        "For example a bank charge, interest, or money that is not the pool's",
        "Er enghraifft tâl banc, llog, neu arian nad yw'n perthyn i'r gronfa",
    ),
    "bank.ignore": ("Ignore the line", "Anwybyddu'r llinell"),
}
