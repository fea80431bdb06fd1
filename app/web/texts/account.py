"""Texts of signing up and in, a forgotten password, and the person's own account."""

ACCOUNT: dict[str, tuple[str, str]] = {
    "signup.title": ("Create an account", "Creu cyfrif"),
    "signup.full_name": ("Full name", "Enw llawn"),
    "signup.email": ("Email address", "Cyfeiriad e-bost"),
    "signup.password": ("Password", "Cyfrinair"),
    "signup.password_hint": (
        "At least 12 characters. A few words you will remember works well.",
        "O leiaf 12 nod. Mae ychydig o eiriau y byddwch yn eu cofio yn gweithio'n dda.",
    ),
    "signup.language": ("Language for messages to you", "Iaith negeseuon atoch chi"),
    "signup.submit": ("Create the account", "Creu'r cyfrif"),
    "signup.have_account": ("Already have an account?", "Oes gennych gyfrif yn barod?"),
    "signin.title": ("Sign in", "Mewngofnodi"),
    "signin.submit": ("Sign in", "Mewngofnodi"),
    "signin.forgotten": ("Forgotten your password?", "Wedi anghofio'ch cyfrinair?"),
    "signin.no_account": ("No account yet?", "Dim cyfrif eto?"),
    "reset.title": ("Reset your password", "Ailosod eich cyfrinair"),
    "reset.intro": (
        "We will send a reset code to your email address. It works once, within 30 minutes.",
        "Byddwn yn anfon cod ailosod i'ch cyfeiriad e-bost. Mae'n gweithio unwaith, o fewn 30 "
        "munud.",
    ),
    "reset.send": ("Send the code", "Anfon y cod"),
    "reset.have_code": ("I have a code", "Mae gen i god"),
    "reset.confirm_title": ("Choose a new password", "Dewis cyfrinair newydd"),
    "reset.code": ("Reset code", "Cod ailosod"),
    "reset.code_hint": ("From the email we sent you", "O'r e-bost a anfonwyd atoch"),
    "reset.new_password": ("New password", "Cyfrinair newydd"),
    "reset.confirm_submit": ("Change the password", "Newid y cyfrinair"),
    "account.title": ("Your account", "Eich cyfrif"),
    "account.logins_title": ("Where you are signed in", "Ble rydych wedi mewngofnodi"),
    "account.logins_intro": (
        "Each browser or app signed in to your account. End any you do not recognise.",
        "Pob porwr neu ap sydd wedi mewngofnodi i'ch cyfrif. Rhowch ddiwedd ar unrhyw un nad "
        "ydych yn ei adnabod.",
    ),
    "account.login_device": ("Browser or app", "Porwr neu ap"),
    "account.login_started": ("Signed in", "Wedi mewngofnodi"),
    "account.login_used": ("Last used", "Defnyddiwyd ddiwethaf"),
    "account.login_action": ("Action", "Gweithred"),
    "account.login_unknown": ("Unknown", "Anhysbys"),
    "account.this_browser": ("This browser", "Y porwr hwn"),
    "account.end_login": ("End this sign-in", "Dod â'r mewngofnodiad hwn i ben"),
    "account.started_at": ("(signed in {at})", "(wedi mewngofnodi {at})"),
    "account.data_title": ("Your data", "Eich data"),
    "account.data_intro": (
        "A copy of everything this service holds about you, as a file.",
        "Copi o bopeth y mae'r gwasanaeth hwn yn ei gadw amdanoch, fel ffeil.",
    ),
    "account.export": ("Download your data", "Lawrlwytho eich data"),
    "account.close_title": ("Closing your account", "Cau eich cyfrif"),
    "account.close_link": ("Close your account", "Cau eich cyfrif"),
    "close.title": ("Close your account", "Cau eich cyfrif"),
    "close.what_happens": ("If you close your account:", "Os byddwch yn cau eich cyfrif:"),
    "close.memberships": (
        "you leave every co-operative, and what is left in your accounts is paid back to you;",
        "byddwch yn gadael pob cwmni cydweithredol, a thelir yr hyn sydd ar ôl yn eich "
        "cyfrifon yn ôl i chi;",
    ),
    "close.logins": (
        "you are signed out everywhere, and your name and email are removed;",
        "byddwch yn cael eich allgofnodi ym mhobman, a chaiff eich enw a'ch e-bost eu dileu;",
    ),
    "close.records": (
        "records of money are kept for six years, as the law requires.",
        "cedwir cofnodion arian am chwe blynedd, fel y mae'r gyfraith yn ei gwneud yn ofynnol.",
    ),
    "close.submit": ("Close my account", "Cau fy nghyfrif"),
    "close.cancel": ("Keep my account", "Cadw fy nghyfrif"),
}
