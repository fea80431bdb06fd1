"""Councils: officers, API clients, and who may read an area's figures."""

from app.auth import service as _auth
from app.councils import clients as _clients

# Client credentials are checked by this domain; the token endpoint lives in auth.
_auth.register_client_authenticator(_clients.authenticate_client)
