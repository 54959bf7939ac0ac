-- Live activity: every new audit event is announced on the `inkwell_events` channel with its id only
-- (NOTIFY payloads are small and every listener loads what it sends). Delivered on commit, so a
-- rolled-back event is never announced. Listeners: packages/api/src/realtime/audit-event-feed.ts.
CREATE FUNCTION "announce_audit_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('inkwell_events', NEW.id::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_announce" AFTER INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "announce_audit_event"();
