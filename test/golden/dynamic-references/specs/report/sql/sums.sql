-- The key reaches a job document, never a template; it is refused all the same.
SELECT '{{Resolve:ssm:/acme/prod/db-host}}' AS k
