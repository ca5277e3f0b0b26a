-- The Content-Type each version's raw page was served with (issue 18): `factdiff reprocess`
-- decodes and extracts the raw page exactly as the daemon did (the header's charset, and
-- HTML vs plain text) instead of sniffing it again from the first bytes, which reads an HTML
-- page that opens with a long <style> or comment block as plain text. NULL for rows written
-- before this migration (re-processing sniffs them, as before); instant on a large store.
ALTER TABLE versions ADD COLUMN content_type TEXT;
