ALTER TABLE "articles" ADD COLUMN "moderation_reason" text;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "moderation_action_id" uuid;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "moderation_reason" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "moderation_action_id" uuid;--> statement-breakpoint
CREATE INDEX "articles_moderation_action_id_idx" ON "articles" USING btree ("moderation_action_id") WHERE "articles"."moderation_action_id" is not null;--> statement-breakpoint
CREATE INDEX "comments_moderation_action_id_idx" ON "comments" USING btree ("moderation_action_id") WHERE "comments"."moderation_action_id" is not null;