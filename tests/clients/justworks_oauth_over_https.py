#!/usr/bin/env python3
"""Justworks' OAuth code flow over HTTPS (`--tls`) with requests-oauthlib, without
OAUTHLIB_INSECURE_TRANSPORT, trusting only the CA the sandbox prints; https pagination links;
then curl with --cacert.

    python3 tests/clients/justworks_oauth_over_https.py target/debug/hr-sandbox
"""
import os
import subprocess
import sys
import tempfile

import certifi
import requests

import sandbox_server
from justworks_oauth_client import check, code_flow

os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)


def main(binary):
    tls_dir = tempfile.mkdtemp(prefix="hr-sandbox-tls-")
    with sandbox_server.running(binary, "--workers", "1", "--tls", "--tls-dir", tls_dir) as server:
        root = server.root
        check(root.startswith("https://"), root)
        ca = server.line_starting("TLS:").rsplit(" ", 1)[-1]
        check(os.path.exists(ca), ca)
        # How an integrator trusts a CA for every requests call, the OAuth library's included.
        os.environ["REQUESTS_CA_BUNDLE"] = ca
        root = root.replace("127.0.0.1", "localhost")
        base = root + "/justworks"
        # A client registered with an https redirect URI (oauthlib refuses plain http ones).
        app = {"client_id": "https_app", "client_secret": "https_secret", "name": "HTTPS client",
               "redirect_uris": ["https://localhost:8765/callback"], "scopes": ["company.basic:read", "member.basic:read"]}
        created = requests.post(root + "/__admin/vendors/justworks/apps", json=app, verify=ca, timeout=5)
        check(created.status_code == 200, created.text)
        oauth, token = code_flow(base, app["client_id"], app["client_secret"], app["redirect_uris"][0], app["scopes"])
        members = oauth.get(base + "/v1/members?limit=1", timeout=5).json()
        check(members["items"] and token["token_type"] == "Bearer", members)
        try:
            requests.get(root + "/__admin/health", verify=certifi.where(), timeout=5)  # public roots only
            check(False, "an untrusted certificate was accepted")
        except requests.exceptions.SSLError:
            pass
        # Absolute URLs the sandbox builds say https: Joinup's pagination links.
        creds = requests.get(root + "/__admin/credentials", timeout=5).json()
        joinup = {"Authorization": creds["joinup"]["group_admin"]["authorization"]}
        page = requests.get(root + "/joinup/api/company/employees/?page_size=2", headers=joinup, timeout=5).json()
        check(page["next"].startswith(root + "/joinup/"), page["next"])
        curl = subprocess.run(["curl", "-sf", "--cacert", ca, root + "/__admin/health"], capture_output=True, text=True)
        check(curl.returncode == 0 and '"status":"ok"' in curl.stdout, curl.stderr)
        print("ok   the OAuth code flow with requests-oauthlib over HTTPS, trusting only the printed CA; curl --cacert")


if __name__ == "__main__":
    main(sys.argv[1])
