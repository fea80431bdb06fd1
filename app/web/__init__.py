"""The reference web front end: pages rendered on the server, calling the services the API
calls, in English and Welsh, usable without JavaScript."""
