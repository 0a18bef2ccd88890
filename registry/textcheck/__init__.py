"""The text printed on artwork: OCR, the text layer of print files, and the checks on them
(CT-01 against the campaign's slogans, TP-04 spelling, TP-05 scripts, PL-01 foreign text)."""
