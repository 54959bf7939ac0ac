-- Hand-written: each audit event keeps its actor's username as it was (column added by 0008). Events of users
-- who still exist get their current name. Events whose actor was deleted before 0008 lost the actor's id to the
-- old ON DELETE SET NULL and stay anonymous: nothing is left to recover them from.
UPDATE "audit_events" AS e
SET "actor_username" = u."username"
FROM "users" AS u
WHERE u."id" = e."actor_id" AND e."actor_username" IS NULL;
