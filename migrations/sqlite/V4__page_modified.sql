-- The article's own "modified" stamp as the page gave it at the last check. A new stamp alone
-- makes no version and no event (sites re-stamp pages without changing a word), but it is
-- kept here, so `factdiff articles` shows when the publisher last claimed an update.
ALTER TABLE articles ADD COLUMN page_modified TEXT;
