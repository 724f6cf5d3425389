CREATE TABLE "monitoring"."bed_weeks" (
	"week" date NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"total_ms" bigint NOT NULL,
	"open_ms" bigint NOT NULL,
	"occupied_ms" bigint NOT NULL,
	"nursing_ms" bigint NOT NULL,
	"dementia_ms" bigint NOT NULL,
	CONSTRAINT "bed_weeks_week_institution_id_bed_type_pk" PRIMARY KEY("week","institution_id","bed_type")
);
--> statement-breakpoint
-- The weeks of the bed-days already counted; a week takes the place of its earliest day, as the
-- projection's first addition to it does.
INSERT INTO "monitoring"."bed_weeks" ("week", "institution_id", "bed_type", "county", "city", "total_ms", "open_ms", "occupied_ms", "nursing_ms", "dementia_ms")
SELECT date_trunc('week', "day")::date, "institution_id", "bed_type", (array_agg("county" ORDER BY "day"))[1], (array_agg("city" ORDER BY "day"))[1],
       sum("total_ms"), sum("open_ms"), sum("occupied_ms"), sum("nursing_ms"), sum("dementia_ms")
  FROM "monitoring"."bed_days"
 GROUP BY 1, 2, 3;
