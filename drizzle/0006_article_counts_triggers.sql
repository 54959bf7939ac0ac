-- Keeps article_counts.visible equal to the number of articles with moderation = 'visible'.
INSERT INTO "article_counts" ("singleton", "visible")
SELECT true, count(*) FROM "articles" WHERE "moderation" = 'visible';--> statement-breakpoint

CREATE FUNCTION "article_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.moderation = 'visible' THEN UPDATE article_counts SET visible = visible + 1; END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.moderation = 'visible' THEN UPDATE article_counts SET visible = visible - 1; END IF;
  ELSIF NEW.moderation IS DISTINCT FROM OLD.moderation THEN
    UPDATE article_counts SET visible = visible + CASE WHEN NEW.moderation = 'visible' THEN 1 ELSE -1 END;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint

CREATE TRIGGER "article_counts_track"
AFTER INSERT OR DELETE OR UPDATE OF "moderation" ON "articles"
FOR EACH ROW EXECUTE FUNCTION "article_counts_track"();--> statement-breakpoint

CREATE FUNCTION "article_counts_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE article_counts SET visible = 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint

CREATE TRIGGER "article_counts_reset"
AFTER TRUNCATE ON "articles"
FOR EACH STATEMENT EXECUTE FUNCTION "article_counts_reset"();
