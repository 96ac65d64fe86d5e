-- Orders over 1000 need a manual review first: each one is a failing row.
SELECT id, amount FROM raw_quality.orders WHERE amount > 1000
-- a review can take days: a comment that ends in a backslash \