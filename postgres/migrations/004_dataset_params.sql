-- How a dataset version was made, as JSON, where a command has more to say than its
-- source: the fitted match model of cipmap resolve.
ALTER TABLE dataset ADD COLUMN params TEXT;
