#!/usr/bin/env python3
"""Justworks' OAuth 2.0 code flow with a standard client library (requests-oauthlib), unchanged.

    python3 tests/clients/justworks_oauth_client.py target/debug/hr-sandbox

Starts the sandbox, builds the authorization URL with OAuth2Session, submits the consent page's
Approve button as a browser would (a plain form POST), takes the redirect, lets the library
exchange the code and refresh the token, and reads /v1/company with it. Exits non-zero on failure.
"""
import os
import re
import sys

import requests
from requests_oauthlib import OAuth2Session

import sandbox_server


def code_flow(base, client_id, client_secret, redirect_uri, scope):
    """The authorization URL, the consent page's Approve submitted as a browser would, and the
    library's code exchange: the session and its token."""
    oauth = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scope)
    url, _ = oauth.authorization_url(base + "/oauth/authorize")
    page = requests.get(url, timeout=5)
    check(page.status_code == 200 and "Approve" in page.text, page.text[:200])
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    fields = {k: v.replace("&amp;", "&").replace("&quot;", '"') for k, v in fields.items()}
    fields["decision"] = "approve"
    approved = requests.post(base + "/oauth/authorize", data=fields, allow_redirects=False, timeout=5)
    check(approved.status_code == 302, approved.text)
    callback = approved.headers["Location"]
    token = oauth.fetch_token(base + "/oauth/token", authorization_response=callback, client_secret=client_secret)
    check(token["token_type"] == "Bearer" and "refresh_token" in token, token)
    company = oauth.get(base + "/v1/company", timeout=5)
    check(company.status_code == 200 and company.json()["display_name"] == "Acme Analytics", company.text)
    return oauth, token


def main(binary):
    # The sandbox speaks plain http on loopback here.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    with sandbox_server.running(binary, "--workers", "1") as server:
        root = server.root
        base = root + "/justworks"
        app = requests.get(root + "/__admin/credentials", timeout=5).json()["justworks"]["app"]
        scope = ["company.basic:read", "member.basic:read"]
        oauth, token = code_flow(base, app["client_id"], app["client_secret"], app["redirect_uri"], scope)
        refreshed = oauth.refresh_token(base + "/oauth/token", client_id=app["client_id"], client_secret=app["client_secret"])
        check(refreshed["access_token"] != token["access_token"], refreshed)
        check(oauth.get(base + "/v1/members?limit=1", timeout=5).status_code == 200, "members with the refreshed token")
        print("ok   the OAuth code flow with requests-oauthlib")


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
