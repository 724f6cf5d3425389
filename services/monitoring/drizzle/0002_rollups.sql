CREATE TABLE "monitoring"."arrival_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"origin_bed_type" text NOT NULL,
	"arrived" bigint DEFAULT 0 NOT NULL,
	"readmitted" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "arrival_months_month_county_city_bed_type_origin_bed_type_pk" PRIMARY KEY("month","county","city","bed_type","origin_bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."offer_months" (
	"month" date NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"answer" text NOT NULL,
	"reason_code" text NOT NULL,
	"offers" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "offer_months_month_institution_id_bed_type_answer_reason_code_pk" PRIMARY KEY("month","institution_id","bed_type","answer","reason_code")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."offer_place_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"answer" text NOT NULL,
	"reason_code" text NOT NULL,
	"offers" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "offer_place_months_month_county_city_bed_type_answer_reason_code_pk" PRIMARY KEY("month","county","city","bed_type","answer","reason_code")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."referral_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"open_stage" text NOT NULL,
	"started" bigint DEFAULT 0 NOT NULL,
	"closed_in_loop" bigint DEFAULT 0 NOT NULL,
	"closed_late" bigint DEFAULT 0 NOT NULL,
	"cancelled" bigint DEFAULT 0 NOT NULL,
	"open" bigint DEFAULT 0 NOT NULL,
	"open_urgent" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "referral_months_month_county_city_bed_type_open_stage_pk" PRIMARY KEY("month","county","city","bed_type","open_stage")
);
--> statement-breakpoint
CREATE FUNCTION "monitoring"."china_month"("at" timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT date_trunc('month', ("at" AT TIME ZONE 'UTC') + interval '8 hours')::date
$$;
--> statement-breakpoint
-- What one referral row adds to referral_months: the same conditions as the metrics' counts.
CREATE FUNCTION "monitoring"."referral_month_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."referral_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(r.started_at), coalesce(r.origin_county, ''), coalesce(r.origin_city, ''), coalesce(r.bed_type, ''),
         CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL THEN r.stage ELSE '' END,
         1::bigint,
         (CASE WHEN r.closed_at IS NOT NULL AND NOT r.follow_up_late THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NOT NULL AND r.follow_up_late THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.cancelled_at IS NOT NULL THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL AND r.urgent THEN 1 ELSE 0 END)::bigint
   WHERE r.started_at IS NOT NULL
$$;
--> statement-breakpoint
-- What one referral row adds to arrival_months.
CREATE FUNCTION "monitoring"."arrival_month_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."arrival_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(r.arrived_at), coalesce(r.origin_county, ''), coalesce(r.origin_city, ''), coalesce(r.bed_type, ''), coalesce(r.origin_bed_type, ''),
         1::bigint,
         (CASE WHEN r.origin_bed_type = 'medical' AND r.readmitted_at <= r.arrived_at + interval '744 hours' THEN 1 ELSE 0 END)::bigint
   WHERE r.started_at IS NOT NULL AND r.arrived_at IS NOT NULL
$$;
--> statement-breakpoint
-- What one offer row adds to offer_months.
CREATE FUNCTION "monitoring"."offer_month_cell"("o" "monitoring"."offers") RETURNS SETOF "monitoring"."offer_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(o.offered_at), o.institution_id, o.bed_type, coalesce(o.answer, ''), coalesce(o.reason_code, ''), 1::bigint
   WHERE o.offered_at IS NOT NULL
$$;
--> statement-breakpoint
-- What one offer row adds to offer_place_months: its provider's place as institutions has it now.
CREATE FUNCTION "monitoring"."offer_place_cell"("o" "monitoring"."offers") RETURNS SETOF "monitoring"."offer_place_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(o.offered_at), coalesce(i.county, ''), coalesce(i.city, ''), o.bed_type, coalesce(o.answer, ''), coalesce(o.reason_code, ''), 1::bigint
    FROM (SELECT o.institution_id, o.bed_type) x
    LEFT JOIN "monitoring"."institutions" i ON i.institution_id = x.institution_id AND i.bed_type = x.bed_type
   WHERE o.offered_at IS NOT NULL
$$;
--> statement-breakpoint
-- The lock that orders an offer's place lookup against a change of its provider's place.
CREATE FUNCTION "monitoring"."provider_lock_key"("institution_id" uuid, "bed_type" text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT hashtextextended('monitoring.provider:' || institution_id::text || ':' || bed_type, 0)
$$;
--> statement-breakpoint
-- The old row's cells taken away and the new row's added, in the writing transaction; cells in key
-- order, so two transactions moving rows between the same cells lock them in the same order.
CREATE FUNCTION "monitoring"."referrals_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each roll-up only when a column its cell reads has changed (most updates change neither).
  IF TG_OP <> 'UPDATE' OR (OLD.started_at, OLD.origin_county, OLD.origin_city, OLD.bed_type, OLD.arrived_at, OLD.origin_bed_type, OLD.readmitted_at)
      IS DISTINCT FROM (NEW.started_at, NEW.origin_county, NEW.origin_city, NEW.bed_type, NEW.arrived_at, NEW.origin_bed_type, NEW.readmitted_at) THEN
  INSERT INTO "monitoring"."arrival_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.origin_bed_type, sum(c.s * c.arrived), sum(c.s * c.readmitted)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."arrival_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."arrival_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, origin_bed_type) DO UPDATE SET arrived = m.arrived + excluded.arrived, readmitted = m.readmitted + excluded.readmitted;
  END IF;
  IF TG_OP <> 'UPDATE' OR (OLD.started_at, OLD.origin_county, OLD.origin_city, OLD.bed_type, OLD.stage, OLD.closed_at, OLD.cancelled_at, OLD.follow_up_late, OLD.urgent)
      IS DISTINCT FROM (NEW.started_at, NEW.origin_county, NEW.origin_city, NEW.bed_type, NEW.stage, NEW.closed_at, NEW.cancelled_at, NEW.follow_up_late, NEW.urgent) THEN
  INSERT INTO "monitoring"."referral_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.open_stage, sum(c.s * c.started), sum(c.s * c.closed_in_loop), sum(c.s * c.closed_late),
         sum(c.s * c.cancelled), sum(c.s * c.open), sum(c.s * c.open_urgent)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."referral_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."referral_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, open_stage) DO UPDATE SET
    started = m.started + excluded.started, closed_in_loop = m.closed_in_loop + excluded.closed_in_loop, closed_late = m.closed_late + excluded.closed_late,
    cancelled = m.cancelled + excluded.cancelled, open = m.open + excluded.open, open_urgent = m.open_urgent + excluded.open_urgent;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "monitoring"."offers_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.offered_at, OLD.institution_id, OLD.bed_type, OLD.answer, OLD.reason_code)
      IS NOT DISTINCT FROM (NEW.offered_at, NEW.institution_id, NEW.bed_type, NEW.answer, NEW.reason_code) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "monitoring"."offer_months" AS m
  SELECT c.month, c.institution_id, c.bed_type, c.answer, c.reason_code, sum(c.s * c.offers)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."offer_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."offer_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, institution_id, bed_type, answer, reason_code) DO UPDATE SET offers = m.offers + excluded.offers;
  -- The provider's place is read under its lock (shared: offers do not wait for each other).
  IF TG_OP <> 'INSERT' THEN PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(OLD.institution_id, OLD.bed_type)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(NEW.institution_id, NEW.bed_type)); END IF;
  INSERT INTO "monitoring"."offer_place_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.answer, c.reason_code, sum(c.s * c.offers)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."offer_place_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."offer_place_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (month, county, city, bed_type, answer, reason_code) DO UPDATE SET offers = m.offers + excluded.offers;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A provider's place first known, changed or gone: its offers' cells move to the new place.
CREATE FUNCTION "monitoring"."institutions_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.institution_id, OLD.bed_type, OLD.county, OLD.city) IS NOT DISTINCT FROM (NEW.institution_id, NEW.bed_type, NEW.county, NEW.city) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM pg_advisory_xact_lock("monitoring"."provider_lock_key"(OLD.institution_id, OLD.bed_type)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_advisory_xact_lock("monitoring"."provider_lock_key"(NEW.institution_id, NEW.bed_type)); END IF;
  INSERT INTO "monitoring"."offer_place_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.answer, c.reason_code, sum(c.offers)
    FROM (SELECT o.month, coalesce(CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.county END, '') AS county,
                 coalesce(CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.city END, '') AS city, o.bed_type, o.answer, o.reason_code, -o.offers AS offers
            FROM "monitoring"."offer_months" o
           WHERE TG_OP <> 'INSERT' AND o.institution_id = OLD.institution_id AND o.bed_type = OLD.bed_type
          UNION ALL
          SELECT o.month, '', '', o.bed_type, o.answer, o.reason_code, -o.offers
            FROM "monitoring"."offer_months" o
           WHERE TG_OP = 'INSERT' AND o.institution_id = NEW.institution_id AND o.bed_type = NEW.bed_type
          UNION ALL
          SELECT o.month, coalesce(CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.county END, ''),
                 coalesce(CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.city END, ''), o.bed_type, o.answer, o.reason_code, o.offers
            FROM "monitoring"."offer_months" o
           WHERE o.institution_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.institution_id ELSE NEW.institution_id END)
             AND o.bed_type = (CASE WHEN TG_OP = 'DELETE' THEN OLD.bed_type ELSE NEW.bed_type END)
             AND TG_OP <> 'DELETE'
          UNION ALL
          SELECT o.month, '', '', o.bed_type, o.answer, o.reason_code, o.offers
            FROM "monitoring"."offer_months" o
           WHERE TG_OP = 'DELETE' AND o.institution_id = OLD.institution_id AND o.bed_type = OLD.bed_type) c
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (month, county, city, bed_type, answer, reason_code) DO UPDATE SET offers = m.offers + excluded.offers;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."referrals" FOR EACH ROW EXECUTE FUNCTION "monitoring"."referrals_roll_up"();
--> statement-breakpoint
CREATE TRIGGER "offers_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."offers" FOR EACH ROW EXECUTE FUNCTION "monitoring"."offers_roll_up"();
--> statement-breakpoint
CREATE TRIGGER "institutions_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."institutions" FOR EACH ROW EXECUTE FUNCTION "monitoring"."institutions_roll_up"();
--> statement-breakpoint
-- The roll-ups computed afresh from the rows, with the same cell functions the triggers use.
CREATE FUNCTION "monitoring"."rebuild_rollups"() RETURNS void LANGUAGE sql AS $$
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
$$;
