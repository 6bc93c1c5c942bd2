"""Dev tool: log in as a demo user and save full-page screenshots of some pages (README, visual checks).

usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 hefei out_dir /enterprises/ /enterprises/import/
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def main(base: str, username: str, out: str, *paths: str) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860}, locale="zh-CN")
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "zjtx-demo-2025")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for i, path in enumerate(paths):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(400)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=f"{out}/{i:02d}-{name[:60]}.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
