"""Browser tests of the dashboard (Streamlit, driven by headless Chromium through Playwright)."""
