#!/usr/bin/env python3
"""The QA console (/__admin/ui) driven in headless Chromium, as QA would use it: create a sandbox,
read where state is kept and fork the sandbox, load a shipped scenario, watch a vendor request
fail with it in Traffic, paste a bad scenario and read the loader's error, advance the clock,
reset, advance the workforce and see its events; and a journal entry whose path holds <script>
renders as text, inert.

    python3 tests/clients/qa_console_in_chromium.py target/debug/hr-sandbox [SCREENSHOT_DIR]

With SCREENSHOT_DIR, a 1280x800 screenshot of each page is written there (docs/console/ holds
the committed ones). Needs Debian's chromium and chromium-driver and selenium from PyPI.
Exits non-zero on failure.
"""
import os
import sys
import urllib.parse

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import sandbox_server

SANDBOX = "qa-run"


def main(binary, screenshots=None):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800"]:
        options.add_argument(flag)
    browser = None
    with sandbox_server.running(binary, "--workers", "1") as server:
        try:
            root = server.root
            ui = root + "/__admin/ui"
            browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            wait = WebDriverWait(browser, 10)

            def shoot(name):
                if screenshots:
                    browser.save_screenshot(os.path.join(screenshots, f"{name}.png"))

            def text(selector):
                return browser.find_element(By.CSS_SELECTOR, selector).text

            # Overview: create a sandbox through the form.
            browser.get(ui)
            wait.until(lambda _: "default" in text("#sandboxes"))
            browser.find_element(By.CSS_SELECTOR, "#create-sandbox input[name=name]").send_keys(SANDBOX)
            browser.find_element(By.CSS_SELECTOR, "#create-sandbox input[name=seed]").send_keys("7")
            browser.find_element(By.CSS_SELECTOR, "#create-sandbox button[type=submit]").click()
            wait.until(lambda _: SANDBOX in text("#sandboxes"))
            check(requests.get(f"{root}/__admin/sandboxes/{SANDBOX}", timeout=5).json()["seed"] == 7, "the sandbox exists, seed 7")
            print("ok   overview: a sandbox created from the form")

            # Overview: it says where state is kept, and forks a sandbox from the form.
            check(text("#state-where") == "State: in memory only (lost on restart)", text("#state-where"))
            browser.find_element(By.CSS_SELECTOR, "#fork-sandbox input[name=name]").send_keys(f"{SANDBOX}-copy")
            Select(browser.find_element(By.CSS_SELECTOR, "#fork-sandbox select[name=from]")).select_by_value(SANDBOX)
            browser.find_element(By.CSS_SELECTOR, "#fork-sandbox button[type=submit]").click()
            wait.until(lambda _: f"{SANDBOX}-copy" in text("#sandboxes"))
            check(f"Forked {SANDBOX} as {SANDBOX}-copy" in text("#status"), text("#status"))
            copy = requests.get(f"{root}/__admin/sandboxes/{SANDBOX}-copy", timeout=5).json()
            check(copy["seed"] == 7, f"the fork has its source's seed 7: {copy}")
            check(f"{SANDBOX}-copy" in text("#fork-sandbox select"), "the fork's source list refreshed")
            print("ok   overview: state kept in memory only, said so; a sandbox forked from the form")

            # Scenarios: load a shipped one into the new sandbox.
            browser.get(f"{ui}/scenarios?sandbox={SANDBOX}")
            wait.until(lambda _: browser.find_elements(By.CSS_SELECTOR, "#load-shipped option"))
            Select(browser.find_element(By.CSS_SELECTOR, "#load-shipped select")).select_by_value("chiefonboarding-outage")
            browser.find_element(By.CSS_SELECTOR, "#load-shipped button").click()
            wait.until(lambda _: "chiefonboarding-outage" in text("#scenarios"))
            check("active" in text("#scenarios tbody tr"), "the shipped scenario is active")
            print("ok   scenarios: a shipped scenario loaded and active")

            # A paste that does not compile shows the loader's error next to the text.
            area = browser.find_element(By.CSS_SELECTOR, "#load-text textarea")
            area.send_keys("name: broken\nrules:\n  - when: {vendor: nobody}\n    then: {error: unavailable}\n")
            browser.find_element(By.CSS_SELECTOR, "#load-text button[type=submit]").click()
            wait.until(lambda _: text("#load-error"))
            check("rule 0" in text("#load-error") and "nobody" in text("#load-error"), text("#load-error"))
            browser.execute_script("document.querySelector('#load-error').scrollIntoView({block: 'end'})")
            shoot("scenarios")
            print("ok   scenarios: a bad paste shows 'file:rule N: reason':", text("#load-error"))

            # A vendor request in the sandbox fails with the scenario, and Traffic shows it.
            credentials = requests.get(f"{root}/__admin/credentials?sandbox={SANDBOX}", timeout=5).json()
            auth = credentials["chiefonboarding"]["admin"]["authorization"]
            failed = requests.get(f"{root}/sandboxes/{SANDBOX}/chiefonboarding/api/employees/", headers={"Authorization": auth}, timeout=10)
            check(failed.status_code >= 500, f"the scenario fails the request: {failed.status_code}")
            browser.get(f"{ui}/traffic?sandbox={SANDBOX}")
            wait.until(lambda _: "chiefonboarding-outage" in text("#traffic"))
            row = browser.find_element(By.CSS_SELECTOR, "#traffic tbody tr")
            check(str(failed.status_code) in row.text, row.text)
            row.click()
            wait.until(lambda _: browser.find_element(By.ID, "exchange").is_displayed())
            check("chiefonboarding-outage" in text("#exchange-meta"), text("#exchange-meta"))
            check("authorization" in text("#request-headers"), "the request headers are shown")
            print("ok   traffic: the failed request, its scenario rule and both sides of the exchange")

            # Live: a request made now appears without reloading.
            requests.get(f"{root}/sandboxes/{SANDBOX}/chiefonboarding/api/sequences/", headers={"Authorization": auth}, timeout=10)
            wait.until(lambda _: "/api/sequences/" in text("#traffic"))
            shoot("traffic")
            print("ok   traffic: a new request appears live")

            # A journal entry whose path holds <script> renders as text and never runs.
            hostile = "/chiefonboarding/api/" + urllib.parse.quote("<script>window.pwned=1</script>") + "/"
            requests.get(f"{root}/sandboxes/{SANDBOX}{hostile}", timeout=5)
            requests.post(f"{root}/sandboxes/{SANDBOX}/chiefonboarding/api/users/", data="<img src=x onerror=window.pwned=2>",
                          headers={"Authorization": auth, "Content-Type": "application/json"}, timeout=5)
            wait.until(lambda _: "script" in text("#traffic"))
            check("<script>window.pwned=1</script>" in text("#traffic"), "the decoded path shows <script> as text")
            browser.find_element(By.XPATH, "//td[contains(., 'users')]").click()
            wait.until(lambda _: "onerror" in text("#request-body"))
            check(browser.execute_script("return window.pwned === undefined"), "no injected script ran")
            check(not browser.find_elements(By.CSS_SELECTOR, "#traffic script, #exchange script, #exchange img"), "no injected element")
            print("ok   traffic: <script> in a path and <img onerror> in a body show as text, inert")

            # Overview: advance the clock by a duration, then reset.
            browser.get(f"{ui}?sandbox={SANDBOX}")
            wait.until(lambda _: text("#clock-now") != "…")
            before = requests.get(f"{root}/__admin/clock?sandbox={SANDBOX}", timeout=5).json()["now"]
            browser.find_element(By.CSS_SELECTOR, "#clock-advance input").send_keys("2h")
            browser.find_element(By.CSS_SELECTOR, "#clock-advance button").click()
            wait.until(lambda _: "Advanced 7200" in text("#status"))
            after = requests.get(f"{root}/__admin/clock?sandbox={SANDBOX}", timeout=5).json()["now"]
            check(after[:13] > before[:13], f"the clock moved: {before} -> {after}")
            shoot("overview")
            browser.find_element(By.CSS_SELECTOR, f"#sandboxes tr[data-sandbox='{SANDBOX}'] button").click()
            wait.until(lambda _: f"Reset {SANDBOX}" in text("#status"))
            journal = requests.get(f"{root}/__admin/requests?sandbox={SANDBOX}", timeout=5).json()
            check(journal == [], "the reset emptied the journal")
            print("ok   overview: the clock advanced by 2h, the sandbox reset")

            # Data and Credentials render; a bad setting shows its error inline.
            browser.get(f"{ui}/data?sandbox={SANDBOX}")
            wait.until(lambda _: browser.find_elements(By.CSS_SELECTOR, "#tables section"))
            settings = browser.find_element(By.CSS_SELECTOR, "#settings textarea")
            settings.clear()
            settings.send_keys('{"seed_employees": -5}')
            browser.find_element(By.CSS_SELECTOR, "#settings button").click()
            wait.until(lambda _: text("#settings-error"))
            browser.find_element(By.CSS_SELECTOR, "#data-pick input[name=search]").send_keys("Elena")
            shoot("data")
            print("ok   data: records as tables; a bad setting answered inline:", text("#settings-error"))
            browser.get(f"{ui}/credentials?sandbox={SANDBOX}")
            wait.until(lambda _: "all_scopes" in text("#credentials"))
            check(browser.find_elements(By.CSS_SELECTOR, "#credentials button"), "copy buttons")
            shoot("credentials")
            print("ok   credentials: every identity's Authorization value with a copy button")

            # Workforce: churn configured, the advance control moves the clock, events appear.
            rates = {"hires_per_month": 10, "changes_per_month": 5, "terminations_per_month": 3}
            patched = requests.patch(f"{root}/__admin/workforce?sandbox={SANDBOX}", json=rates, timeout=5)
            check(patched.status_code == 200, f"workforce configured: {patched.text}")
            browser.get(f"{ui}/workforce?sandbox={SANDBOX}")
            wait.until(lambda _: "person_000001" in text("#workforce-people"))
            check(not browser.find_elements(By.CSS_SELECTOR, "#workforce-events tbody tr"), "no event before time moves")
            browser.find_element(By.CSS_SELECTOR, "#workforce-advance input").send_keys("30d")
            browser.find_element(By.CSS_SELECTOR, "#workforce-advance button").click()
            wait.until(lambda _: "Advanced 2592000" in text("#status"))
            wait.until(lambda _: "hire" in text("#workforce-events"))
            log = requests.get(f"{root}/__admin/workforce/events?sandbox={SANDBOX}", timeout=5).json()
            check(log["last_seq"] > 0, "the advance made events")
            shoot("workforce")
            print("ok   workforce: advance 30d from the page, the hires appear in the event log")
        finally:
            if browser:
                browser.quit()


def check(condition, what):
    if not condition:
        print("FAIL", what)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
