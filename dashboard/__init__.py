"""The registry dashboard: a Streamlit app that reads the published warehouse read-only.

``make dashboard`` starts it (``streamlit run dashboard/app.py``). Queries live in ``dashboard.data``; the
escaping of scraped text in ``dashboard.text``; one module per page in ``dashboard.views``.
"""
