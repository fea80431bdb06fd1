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
    "home.representation_title": ("Representatives", "Cynrychiolwyr"),
    "home.representatives_link": (
        "Your representatives: who may act for you",
        "Eich cynrychiolwyr: pwy gaiff weithredu ar eich rhan",
    ),
    "home.representing_link": (
        "Invitations to act for someone, and the people you act for",
        "Gwahoddiadau i weithredu ar ran rhywun, a'r bobl rydych yn gweithredu ar eu rhan",
    ),
    "representatives.title": ("Your representatives", "Eich cynrychiolwyr"),
    "representatives.intro": (
        "A representative is someone you trust to act for you, within what you let them do "
        "and never beyond the limit you set for each four-week cycle. What they do is "
        "recorded with both your names, and refunds they ask for wait for your approval. A "
        "mandate works only once they accept it, and you can end it at any time: it stops "
        "at once.",
        "Cynrychiolydd yw rhywun rydych yn ymddiried ynddo i weithredu ar eich rhan, o fewn "
        "yr hyn rydych yn gadael iddo ei wneud a byth y tu hwnt i'r terfyn a osodwch ar "
        "gyfer pob cylch pedair wythnos. Caiff yr hyn y mae'n ei wneud ei gofnodi gyda'ch "
        "dau enw, ac mae ad-daliadau y mae'n gofyn amdanynt yn aros am eich cymeradwyaeth. "
        "Dim ond ar ôl iddo ei dderbyn y mae mandad yn gweithio, a gallwch ei ddiweddu "
        "unrhyw bryd: mae'n peidio ar unwaith.",
    ),
    "representatives.live_title": (
        "Representatives and invitations",
        "Cynrychiolwyr a gwahoddiadau",
    ),
    "representatives.none": (
        "Nobody acts for you, and no invitation is waiting.",
        "Does neb yn gweithredu ar eich rhan, a does dim gwahoddiad yn aros.",
    ),
    "representatives.email": ("E-mail address", "Cyfeiriad e-bost"),
    "representatives.role": ("Role", "Rôl"),
    "representatives.scopes": ("What they may do", "Yr hyn y caiff ei wneud"),
    "representatives.limit": (
        "Limit in each four-week cycle",
        "Terfyn ym mhob cylch pedair wythnos",
    ),
    "representatives.invited_at": ("Invited", "Gwahoddwyd"),
    "representatives.accepted_at": ("Accepted", "Derbyniwyd"),
    "representatives.end": ("End this mandate", "Diweddu'r mandad hwn"),
    "representatives.withdraw": ("Withdraw the invitation", "Tynnu'r gwahoddiad yn ôl"),
    "representatives.new_title": ("Invite a representative", "Gwahodd cynrychiolydd"),
    "representatives.new_intro": (
        "We e-mail them an invitation. Until they accept it you see only the address you "
        "gave, and nothing is done in your name.",
        "Rydym yn anfon gwahoddiad atynt drwy e-bost. Nes iddynt ei dderbyn dim ond y "
        "cyfeiriad a roesoch a welwch chi, ac ni wneir dim yn eich enw.",
    ),
    "representatives.email_hint": (
        "The address they use, or will use, to sign in",
        "Y cyfeiriad y maent yn ei ddefnyddio, neu y byddant yn ei ddefnyddio, i fewngofnodi",
    ),
    "representatives.role_hint": (
        "A helper acts by your leave. Choose another role only if they have standing in law "
        "to decide for you.",
        "Mae cynorthwywr yn gweithredu gyda'ch caniatâd. Dewiswch rôl arall dim ond os oes "
        "ganddynt hawl gyfreithiol i benderfynu ar eich rhan.",
    ),
    "representatives.scopes_hint": ("Tick at least one", "Ticiwch o leiaf un"),
    "representatives.limit_field": (
        "Most they may move for you in a four-week cycle",
        "Yr uchafswm y caiff ei symud ar eich rhan mewn cylch pedair wythnos",
    ),
    "representatives.limit_hint": (
        "In pounds, for example 250.00. Type 0 if they should move none of your money.",
        "Mewn punnoedd, er enghraifft 250.00. Teipiwch 0 os na ddylai symud dim o'ch arian.",
    ),
    "representatives.submit": ("Send the invitation", "Anfon y gwahoddiad"),
    "representatives.ended_title": ("Ended", "Wedi dod i ben"),
    "done.mandate_invited": (
        "The invitation is sent. The mandate works once they accept it.",
        "Mae'r gwahoddiad wedi'i anfon. Bydd y mandad yn gweithio unwaith y byddant yn ei dderbyn.",
    ),
    "done.mandate_ended": (
        "The mandate has ended: they can no longer act for you.",
        "Mae'r mandad wedi dod i ben: ni allant weithredu ar eich rhan mwyach.",
    ),
    "representing.title": ("Acting for others", "Gweithredu ar ran eraill"),
    "representing.intro": (
        "When someone asks you to act for them, their invitation waits here for your answer. "
        "Nothing works until you accept, and you may decline.",
        "Pan fydd rhywun yn gofyn i chi weithredu ar eu rhan, mae eu gwahoddiad yn aros yma "
        "am eich ateb. Does dim yn gweithio nes i chi dderbyn, a chewch ei wrthod.",
    ),
    "representing.invitations_title": (
        "Invitations waiting for your answer",
        "Gwahoddiadau yn aros am eich ateb",
    ),
    "representing.asks": (
        "{name} asks you to act for them",
        "Mae {name} yn gofyn i chi weithredu ar eu rhan",
    ),
    "representing.scopes": (
        "What you would be allowed to do",
        "Yr hyn y byddai hawl gennych ei wneud",
    ),
    "representing.invited_at": ("Asked", "Gofynnwyd"),
    "representing.accept": ("Accept", "Derbyn"),
    "representing.decline": ("Decline", "Gwrthod"),
    "representing.no_invitations": (
        "No invitation is waiting for you.",
        "Does dim gwahoddiad yn aros amdanoch.",
    ),
    "representing.holders_title": ("People you act for", "Pobl rydych yn gweithredu ar eu rhan"),
    "representing.no_holders": (
        "You do not act for anyone.",
        "Nid ydych yn gweithredu ar ran neb.",
    ),
    "done.mandate_accepted": (
        "You have accepted: you may now act for them.",
        "Rydych wedi derbyn: cewch weithredu ar eu rhan nawr.",
    ),
    "done.mandate_declined": (
        "You have declined: the mandate will never work.",
        "Rydych wedi gwrthod: ni fydd y mandad byth yn gweithio.",
    ),
    "acting.votes_title": ("Open votes for {name}", "Pleidleisiau agored ar gyfer {name}"),
    "acting.holder_voted": ("{name} voted {choice}", "Pleidleisiodd {name} {choice}"),
    "acting.holder_not_voted": ("no vote yet", "dim pleidlais eto"),
    "proposal.their_vote": ("Vote of {name}", "Pleidlais {name}"),
    "proposal.no_vote_scope": (
        "The mandate {name} gave you does not let you vote for them.",
        "Nid yw'r mandad a roddodd {name} i chi yn gadael i chi bleidleisio ar eu rhan.",
    ),
    "proposal.choice_for": ("How does {name} vote?", "Sut mae {name} yn pleidleisio?"),
    "proposal.submit_for": ("Cast the vote for {name}", "Bwrw'r bleidlais ar ran {name}"),
    "done.voted_for": (
        "The vote has been counted as theirs.",
        "Mae'r bleidlais wedi'i chyfrif fel eu pleidlais nhw.",
    ),
}
