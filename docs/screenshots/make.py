"""Make the screenshots in this folder: the sample handbook's home, a department and a role, on a
desktop and a 390-px phone, light and dark; and the first page of the role's printed job description
(its PDF, drawn by poppler's pdftoppm).

    .venv/bin/python docs/screenshots/make.py SITE_DIR     # a site built with `rolebook build`
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PAGES = {"home": "index.html", "department": "departments/customer-service/index.html", "role": "roles/guide.html"}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
HERE = Path(__file__).parent
PRINTED = "pdf/roles/guide.pdf"


def main() -> None:
    site = Path(sys.argv[1]).resolve()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)  # type: ignore[arg-type]
                page = context.new_page()
                for name, rel in PAGES.items():
                    page.goto((site / rel).as_uri())
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(HERE / f"{name}-{size}-{scheme}.png"), full_page=size == "phone" or name != "home")
                context.close()
        browser.close()
    # the printed form, as a manager gets it: page 1 of the role's PDF at 80 dpi
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(site / PRINTED), str(HERE / "role-print")], check=True)


if __name__ == "__main__":
    main()
