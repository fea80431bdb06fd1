"""Authentication and authorisation errors."""

from app.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
)


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    title, title_cy = "Invalid credentials", "Manylion mewngofnodi annilys"
    detail = "The e-mail address or password is wrong."
    detail_cy = "Mae'r cyfeiriad e-bost neu'r cyfrinair yn anghywir."


class InvalidToken(NotAuthenticated):
    code = "not_authenticated"
    detail = "The token is missing, expired or revoked."
    detail_cy = "Mae'r tocyn ar goll, wedi dod i ben neu wedi'i ddirymu."


class TooManyAttempts(TooManyRequests):
    code = "too_many_attempts"
    title, title_cy = "Too many attempts", "Gormod o ymdrechion"
    detail = "Too many failed attempts. Try again in {retry_after} seconds."
    detail_cy = (
        "Gormod o ymdrechion aflwyddiannus. Rhowch gynnig arall arni ymhen {retry_after} eiliad."
    )


class TooManyRegistrations(TooManyAttempts):
    detail = "Too many accounts asked for from this address. Try again in {retry_after} seconds."
    detail_cy = (
        "Gofynnwyd am ormod o gyfrifon o'r cyfeiriad hwn. "
        "Rhowch gynnig arall arni ymhen {retry_after} eiliad."
    )


class EmailTaken(Conflict):
    code = "email_taken"
    title, title_cy = "E-mail already registered", "E-bost wedi'i gofrestru eisoes"
    detail = "An account with this e-mail address already exists."
    detail_cy = "Mae cyfrif gyda'r cyfeiriad e-bost hwn yn bodoli eisoes."


class PlatformAdminRequired(Forbidden):
    detail = "Only a platform administrator may do this."
    detail_cy = "Dim ond gweinyddwr y platfform gaiff wneud hyn."


class NoMandate(Forbidden):
    code = "no_mandate"
    title, title_cy = "No mandate", "Dim mandad"
    detail = "The person named in X-On-Behalf-Of has given you no mandate."
    detail_cy = "Nid yw'r person a enwir yn X-On-Behalf-Of wedi rhoi mandad i chi."


class OutsideMandate(Forbidden):
    code = "outside_mandate"
    title, title_cy = "Outside mandate", "Y tu hwnt i'r mandad"
    detail = "Your mandate does not cover this."
    detail_cy = "Nid yw eich mandad yn cynnwys hyn."


class UserNotFound(NotFound):
    detail = "There is no such user."
    detail_cy = "Nid oes defnyddiwr o'r fath."


class WrongPassword(Forbidden):
    code = "wrong_password"
    title, title_cy = "Wrong password", "Cyfrinair anghywir"
    detail = "The current password is wrong."
    detail_cy = "Mae'r cyfrinair presennol yn anghywir."


class InvalidResetToken(BadRequest):
    code = "invalid_reset_token"
    title, title_cy = "Invalid reset code", "Cod ailosod annilys"
    detail = "This reset code is unknown, used, expired or replaced by a newer one: ask again."
    detail_cy = (
        "Mae'r cod ailosod hwn yn anhysbys, wedi'i ddefnyddio, wedi dod i ben neu wedi'i "
        "ddisodli gan un mwy newydd: gofynnwch eto."
    )


class InvalidEmailToken(BadRequest):
    code = "invalid_email_token"
    title, title_cy = "Invalid confirmation code", "Cod cadarnhau annilys"
    detail = (
        "This confirmation code is unknown, used, expired or replaced by a newer one: ask again."
    )
    detail_cy = (
        "Mae'r cod cadarnhau hwn yn anhysbys, wedi'i ddefnyddio, wedi dod i ben neu wedi'i "
        "ddisodli gan un mwy newydd: gofynnwch eto."
    )


class LoginNotFound(NotFound):
    detail = "You have no such login, or it has ended already."
    detail_cy = "Nid oes gennych fewngofnodiad o'r fath, neu mae wedi dod i ben yn barod."
