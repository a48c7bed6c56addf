#!/usr/bin/env python3
"""Justworks' consent page in a real browser: headless Chromium opens the authorize URL, clicks
Approve, and lands on a local redirect URI with a code that the token endpoint accepts.

    python3 tests/clients/justworks_consent_in_chromium.py target/debug/hr-sandbox [SCREENSHOT.png]

Needs Debian's chromium and chromium-driver (.ci/run installs them) and selenium from PyPI.
Every socket is bound on 127.0.0.1 port 0: the redirect URI is registered for the run through
the admin API. Exits non-zero on failure.
"""
import http.server
import socketserver
import sys
import threading
import urllib.parse

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import sandbox_server


class Callback(http.server.BaseHTTPRequestHandler):
    """The client's redirect URI: keeps the query it was called with."""

    received = []

    def do_GET(self):  # noqa: N802 - the http.server name
        Callback.received.append(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>Connected to Justworks.</p>")

    def log_message(self, *args):
        pass


def main(binary, screenshot=None):
    callback = socketserver.TCPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=callback.serve_forever, daemon=True).start()
    redirect_uri = f"http://127.0.0.1:{callback.server_address[1]}/callback"
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=900,700"]:
        options.add_argument(flag)
    browser = None
    with sandbox_server.running(binary, "--workers", "1") as server:
        try:
            root = server.root
            base = root + "/justworks"
            app = {
                "client_id": "browser_test", "client_secret": "browser_secret", "name": "Browser Test App",
                "redirect_uris": [redirect_uri], "scopes": ["company.basic:read", "member.basic:read", "payroll:read"],
            }
            requests.post(root + "/__admin/vendors/justworks/apps", json=app, timeout=5).raise_for_status()
            query = urllib.parse.urlencode({
                "response_type": "code", "client_id": app["client_id"], "state": "browser-state",
                "scope": "company.basic:read member.basic:read payroll:read", "redirect_uri": redirect_uri,
            })
            browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            browser.get(f"{base}/oauth/authorize?{query}")
            check("Browser Test App" in browser.page_source, "the consent page names the app")
            if screenshot:
                browser.save_screenshot(screenshot)
            browser.find_element(By.ID, "approve").click()
            WebDriverWait(browser, 10).until(lambda _: Callback.received)
            params = Callback.received[0]
            check(params.get("state") == ["browser-state"] and "code" in params, params)
            token = requests.post(base + "/oauth/token", data={
                "grant_type": "authorization_code", "client_id": app["client_id"], "client_secret": app["client_secret"],
                "code": params["code"][0], "redirect_uri": redirect_uri,
            }, timeout=5)
            check(token.status_code == 200, token.text)
            company = requests.get(base + "/v1/company", headers={"Authorization": "Bearer " + token.json()["access_token"]}, timeout=5)
            check(company.status_code == 200, company.text)
            print("ok   the consent page in headless Chromium: Approve, redirect, token")
        finally:
            if browser:
                browser.quit()
            callback.shutdown()


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:3])
