/* ardoise search index: see DATA.md of the default theme.
 * parts: scripts listing entries [url, title, date, date_iso, notebook, title_len, words, snippet] */
window.ARDOISE_SEARCH = {"version":2,"lang":"fr","parts":[
"search/3cb5db316de7128a679139b7b67e7c00.js"
]};
