CREATE TABLE "monitoring"."statement_lines" (
	"statement_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"correction_of" uuid,
	"institution_id" uuid NOT NULL,
	"month" date NOT NULL,
	"elder_ref" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"entitled_minutes" bigint NOT NULL,
	"delivered_minutes" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statement_lines_statement_id_line_pk" PRIMARY KEY("statement_id","line")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."tanfangs" (
	"tanfang_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring"."visit_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"institution_id" text NOT NULL,
	"planned" bigint DEFAULT 0 NOT NULL,
	"done" bigint DEFAULT 0 NOT NULL,
	"missed" bigint DEFAULT 0 NOT NULL,
	"late" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "visit_months_month_county_city_bed_type_institution_id_pk" PRIMARY KEY("month","county","city","bed_type","institution_id")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."visits" (
	"visit_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"institution_id" uuid,
	"bed_type" text,
	"plan_id" uuid,
	"tanfang_id" uuid,
	"purpose" text NOT NULL,
	"channel" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"checked_in_at" timestamp with time zone,
	"minutes" integer
);
--> statement-breakpoint
CREATE INDEX "statement_lines_month_idx" ON "monitoring"."statement_lines" USING btree ("month","county","institution_id");--> statement-breakpoint
CREATE INDEX "tanfangs_month_idx" ON "monitoring"."tanfangs" USING btree ("month","county");--> statement-breakpoint
CREATE INDEX "tanfangs_elder_idx" ON "monitoring"."tanfangs" USING btree ("elder_ref","month");--> statement-breakpoint
CREATE INDEX "visits_window_idx" ON "monitoring"."visits" USING btree ("window_end","county","bed_type");--> statement-breakpoint
CREATE INDEX "visits_tanfang_idx" ON "monitoring"."visits" USING btree ("tanfang_id");--> statement-breakpoint
CREATE INDEX "visits_elder_checked_in_idx" ON "monitoring"."visits" USING btree ("elder_ref","checked_in_at");--> statement-breakpoint
-- What one visit row adds to visit_months: visits of home beds only, by the month their window ended.
CREATE FUNCTION "monitoring"."visit_month_cell"("v" "monitoring"."visits") RETURNS SETOF "monitoring"."visit_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(v.window_end), v.county, v.city, v.bed_type, coalesce(v.institution_id::text, ''),
         1::bigint,
         (CASE WHEN v.outcome = 'completed' THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN v.outcome = 'missed' THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN v.outcome = 'completed' AND v.late THEN 1 ELSE 0 END)::bigint
   WHERE v.bed_type IS NOT NULL
$$;
--> statement-breakpoint
-- The old row's cell taken away and the new row's added, in the writing transaction, cells in key order.
CREATE FUNCTION "monitoring"."visits_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.window_end, OLD.county, OLD.city, OLD.bed_type, OLD.institution_id, OLD.outcome, OLD.late)
      IS NOT DISTINCT FROM (NEW.window_end, NEW.county, NEW.city, NEW.bed_type, NEW.institution_id, NEW.outcome, NEW.late) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "monitoring"."visit_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, sum(c.s * c.planned), sum(c.s * c.done), sum(c.s * c.missed), sum(c.s * c.late)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."visit_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."visit_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, institution_id) DO UPDATE SET
    planned = m.planned + excluded.planned, done = m.done + excluded.done, missed = m.missed + excluded.missed, late = m.late + excluded.late;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "visits_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."visits" FOR EACH ROW EXECUTE FUNCTION "monitoring"."visits_roll_up"();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "monitoring"."rebuild_rollups"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "monitoring"."referral_months";
  INSERT INTO "monitoring"."referral_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.open_stage, sum(c.started), sum(c.closed_in_loop), sum(c.closed_late), sum(c.cancelled), sum(c.open), sum(c.open_urgent)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM "monitoring"."arrival_months";
  INSERT INTO "monitoring"."arrival_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.origin_bed_type, sum(c.arrived), sum(c.readmitted)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."arrival_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM "monitoring"."offer_months";
  INSERT INTO "monitoring"."offer_months"
  SELECT c.month, c.institution_id, c.bed_type, c.answer, c.reason_code, sum(c.offers)
    FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_month_cell"(o) c
   GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM "monitoring"."offer_place_months";
  INSERT INTO "monitoring"."offer_place_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.answer, c.reason_code, sum(c.offers)
    FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_place_cell"(o) c
   GROUP BY 1, 2, 3, 4, 5, 6;
  DELETE FROM "monitoring"."visit_months";
  INSERT INTO "monitoring"."visit_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, sum(c.planned), sum(c.done), sum(c.missed), sum(c.late)
    FROM "monitoring"."visits" v CROSS JOIN LATERAL "monitoring"."visit_month_cell"(v) c
   GROUP BY 1, 2, 3, 4, 5;
$$;
