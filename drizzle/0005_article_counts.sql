CREATE TABLE "article_counts" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"visible" bigint NOT NULL,
	CONSTRAINT "article_counts_single_row" CHECK ("article_counts"."singleton")
);
