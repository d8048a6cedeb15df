-- The Documents' import status filter counts the live documents of each status (ok,
-- empty, failed), and lists those of one. Without this index each count reads every
-- document's row, walking its body's overflow pages to reach data: on 234,000 UN
-- paragraphs, three counts read the whole database while the list is being scrolled.
CREATE INDEX items_doc_status ON items(json_extract(data, '$.Status')) WHERE deleted IS NULL AND kind = 'document';
