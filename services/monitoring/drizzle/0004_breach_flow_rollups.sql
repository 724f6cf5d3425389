CREATE TABLE "monitoring"."breach_months" (
	"month" date NOT NULL,
	"institution_id" text NOT NULL,
	"bed_type" text NOT NULL,
	"kind" text NOT NULL,
	"breaches" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "breach_months_institution_id_bed_type_month_kind_pk" PRIMARY KEY("institution_id","bed_type","month","kind")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."breach_place_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"kind" text NOT NULL,
	"breaches" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "breach_place_months_month_county_city_bed_type_kind_pk" PRIMARY KEY("month","county","city","bed_type","kind")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."flow_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"institution_id" text NOT NULL,
	"placed_bed_type" text NOT NULL,
	"arrived" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flow_months_institution_id_placed_bed_type_month_county_city_bed_type_pk" PRIMARY KEY("institution_id","placed_bed_type","month","county","city","bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."flow_place_months" (
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"to_county" text NOT NULL,
	"arrived" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flow_place_months_month_county_city_bed_type_to_county_pk" PRIMARY KEY("month","county","city","bed_type","to_county")
);
--> statement-breakpoint
-- What one referral row adds to flow_months: an arrival, by the provider arrived at.
CREATE FUNCTION "monitoring"."flow_month_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."flow_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(r.arrived_at), coalesce(r.origin_county, ''), coalesce(r.origin_city, ''), coalesce(r.bed_type, ''),
         coalesce(r.placed_institution_id::text, ''), coalesce(r.placed_bed_type, ''), 1::bigint
   WHERE r.started_at IS NOT NULL AND r.arrived_at IS NOT NULL
$$;
--> statement-breakpoint
-- What one referral row adds to flow_place_months: its flow_months cell with the county of the provider arrived at, as institutions has it now.
CREATE FUNCTION "monitoring"."flow_place_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."flow_place_months" LANGUAGE sql STABLE AS $$
  SELECT f.month, f.county, f.city, f.bed_type, coalesce(d.county, ''), f.arrived
    FROM "monitoring"."flow_month_cell"(r) f
    LEFT JOIN "monitoring"."institutions" d ON d.institution_id = nullif(f.institution_id, '')::uuid AND d.bed_type = f.placed_bed_type
$$;
--> statement-breakpoint
-- What one offer row adds to breach_months: an offer expired, by its deadline's month.
CREATE FUNCTION "monitoring"."offer_breach_cell"("o" "monitoring"."offers") RETURNS SETOF "monitoring"."breach_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(o.respond_by), o.institution_id::text, o.bed_type, 'offer-expired'::text, 1::bigint
   WHERE o.answer = 'expired' AND o.respond_by IS NOT NULL
$$;
--> statement-breakpoint
-- What one referral row adds to breach_months: a follow-up closed late, by the closing month, at the provider placed into.
CREATE FUNCTION "monitoring"."referral_breach_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."breach_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(r.closed_at), coalesce(r.placed_institution_id::text, ''), coalesce(r.placed_bed_type, ''), 'follow-up-late'::text, 1::bigint
   WHERE r.follow_up_late AND r.closed_at IS NOT NULL
$$;
--> statement-breakpoint
-- A breach_months cell at its provider's place, as institutions has it now.
CREATE FUNCTION "monitoring"."breach_place_cell"("at_month" date, "provider" text, "provider_bed_type" text, "breach_kind" text, "n" bigint) RETURNS SETOF "monitoring"."breach_place_months" LANGUAGE sql STABLE AS $$
  SELECT "at_month", coalesce(i.county, ''), coalesce(i.city, ''), "provider_bed_type", "breach_kind", "n"
    FROM (SELECT 1) x
    LEFT JOIN "monitoring"."institutions" i ON i.institution_id = nullif("provider", '')::uuid AND i.bed_type = "provider_bed_type"
$$;
--> statement-breakpoint
-- The referral's flow and breach cells: the old row's taken away and the new row's added, in the
-- writing transaction, cells in key order, each roll-up only when a column its cell reads has
-- changed. The place of the provider arrived at is read under its lock, shared as for offers.
CREATE FUNCTION "monitoring"."referrals_breach_flow_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  flows_changed boolean;
  breaches_changed boolean;
BEGIN
  flows_changed := TG_OP <> 'UPDATE' OR (OLD.started_at, OLD.arrived_at, OLD.origin_county, OLD.origin_city, OLD.bed_type, OLD.placed_institution_id, OLD.placed_bed_type)
      IS DISTINCT FROM (NEW.started_at, NEW.arrived_at, NEW.origin_county, NEW.origin_city, NEW.bed_type, NEW.placed_institution_id, NEW.placed_bed_type);
  breaches_changed := TG_OP <> 'UPDATE' OR (OLD.closed_at, OLD.follow_up_late, OLD.placed_institution_id, OLD.placed_bed_type)
      IS DISTINCT FROM (NEW.closed_at, NEW.follow_up_late, NEW.placed_institution_id, NEW.placed_bed_type);
  IF NOT flows_changed AND NOT breaches_changed THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.placed_institution_id IS NOT NULL AND OLD.placed_bed_type IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(OLD.placed_institution_id, OLD.placed_bed_type));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.placed_institution_id IS NOT NULL AND NEW.placed_bed_type IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(NEW.placed_institution_id, NEW.placed_bed_type));
  END IF;
  IF flows_changed THEN
  INSERT INTO "monitoring"."flow_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, c.placed_bed_type, sum(c.s * c.arrived)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."flow_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."flow_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY c.institution_id, c.placed_bed_type, c.month, c.county, c.city, c.bed_type
   ORDER BY c.institution_id, c.placed_bed_type, c.month, c.county, c.city, c.bed_type
  ON CONFLICT (institution_id, placed_bed_type, month, county, city, bed_type) DO UPDATE SET arrived = m.arrived + excluded.arrived;
  INSERT INTO "monitoring"."flow_place_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.to_county, sum(c.s * c.arrived)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."flow_place_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."flow_place_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, to_county) DO UPDATE SET arrived = m.arrived + excluded.arrived;
  END IF;
  IF breaches_changed THEN
  INSERT INTO "monitoring"."breach_months" AS m
  SELECT c.month, c.institution_id, c.bed_type, c.kind, sum(c.s * c.breaches)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."referral_breach_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."referral_breach_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY c.institution_id, c.bed_type, c.month, c.kind
   ORDER BY c.institution_id, c.bed_type, c.month, c.kind
  ON CONFLICT (institution_id, bed_type, month, kind) DO UPDATE SET breaches = m.breaches + excluded.breaches;
  INSERT INTO "monitoring"."breach_place_months" AS m
  SELECT p.month, p.county, p.city, p.bed_type, p.kind, sum(c.s * p.breaches)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."referral_breach_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."referral_breach_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   CROSS JOIN LATERAL "monitoring"."breach_place_cell"(c.month, c.institution_id, c.bed_type, c.kind, c.breaches) p
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, kind) DO UPDATE SET breaches = m.breaches + excluded.breaches;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The offer's breach cells, like the referral's, the provider's place read under its shared lock.
CREATE FUNCTION "monitoring"."offers_breach_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.respond_by, OLD.institution_id, OLD.bed_type, OLD.answer)
      IS NOT DISTINCT FROM (NEW.respond_by, NEW.institution_id, NEW.bed_type, NEW.answer) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(OLD.institution_id, OLD.bed_type)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_advisory_xact_lock_shared("monitoring"."provider_lock_key"(NEW.institution_id, NEW.bed_type)); END IF;
  INSERT INTO "monitoring"."breach_months" AS m
  SELECT c.month, c.institution_id, c.bed_type, c.kind, sum(c.s * c.breaches)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."offer_breach_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."offer_breach_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY c.institution_id, c.bed_type, c.month, c.kind
   ORDER BY c.institution_id, c.bed_type, c.month, c.kind
  ON CONFLICT (institution_id, bed_type, month, kind) DO UPDATE SET breaches = m.breaches + excluded.breaches;
  INSERT INTO "monitoring"."breach_place_months" AS m
  SELECT p.month, p.county, p.city, p.bed_type, p.kind, sum(c.s * p.breaches)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."offer_breach_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."offer_breach_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   CROSS JOIN LATERAL "monitoring"."breach_place_cell"(c.month, c.institution_id, c.bed_type, c.kind, c.breaches) p
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, kind) DO UPDATE SET breaches = m.breaches + excluded.breaches;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A provider's arrivals' and breaches' cells moved from one place of it to another ('' for none).
CREATE FUNCTION "monitoring"."move_provider_cells"("provider" text, "provider_bed_type" text, "was_county" text, "was_city" text, "now_county" text, "now_city" text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "monitoring"."flow_place_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.to_county, sum(c.arrived)
    FROM (SELECT f.month, f.county, f.city, f.bed_type, "was_county" AS to_county, -f.arrived AS arrived
            FROM "monitoring"."flow_months" f WHERE f.institution_id = "provider" AND f.placed_bed_type = "provider_bed_type"
          UNION ALL
          SELECT f.month, f.county, f.city, f.bed_type, "now_county", f.arrived
            FROM "monitoring"."flow_months" f WHERE f.institution_id = "provider" AND f.placed_bed_type = "provider_bed_type") c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, to_county) DO UPDATE SET arrived = m.arrived + excluded.arrived;
  INSERT INTO "monitoring"."breach_place_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.kind, sum(c.breaches)
    FROM (SELECT b.month, "was_county" AS county, "was_city" AS city, b.bed_type, b.kind, -b.breaches AS breaches
            FROM "monitoring"."breach_months" b WHERE b.institution_id = "provider" AND b.bed_type = "provider_bed_type"
          UNION ALL
          SELECT b.month, "now_county", "now_city", b.bed_type, b.kind, b.breaches
            FROM "monitoring"."breach_months" b WHERE b.institution_id = "provider" AND b.bed_type = "provider_bed_type") c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, kind) DO UPDATE SET breaches = m.breaches + excluded.breaches;
$$;
--> statement-breakpoint
-- A provider's place first known, changed or gone: its arrivals' and breaches' cells move from the
-- old place ('' before it was known) to the new one ('' once gone), under the provider's lock.
CREATE FUNCTION "monitoring"."institutions_breach_flow_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.institution_id, OLD.bed_type, OLD.county, OLD.city) IS NOT DISTINCT FROM (NEW.institution_id, NEW.bed_type, NEW.county, NEW.city) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM pg_advisory_xact_lock("monitoring"."provider_lock_key"(OLD.institution_id, OLD.bed_type)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_advisory_xact_lock("monitoring"."provider_lock_key"(NEW.institution_id, NEW.bed_type)); END IF;
  IF TG_OP = 'UPDATE' AND (OLD.institution_id, OLD.bed_type) = (NEW.institution_id, NEW.bed_type) THEN
    PERFORM "monitoring"."move_provider_cells"(NEW.institution_id::text, NEW.bed_type, coalesce(OLD.county, ''), coalesce(OLD.city, ''), coalesce(NEW.county, ''), coalesce(NEW.city, ''));
    RETURN NULL;
  END IF;
  -- Otherwise the old provider (if any) is gone and the new one (if any) is first known.
  IF TG_OP <> 'INSERT' THEN
    PERFORM "monitoring"."move_provider_cells"(OLD.institution_id::text, OLD.bed_type, coalesce(OLD.county, ''), coalesce(OLD.city, ''), '', '');
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "monitoring"."move_provider_cells"(NEW.institution_id::text, NEW.bed_type, '', '', coalesce(NEW.county, ''), coalesce(NEW.city, ''));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_breach_flow_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."referrals" FOR EACH ROW EXECUTE FUNCTION "monitoring"."referrals_breach_flow_roll_up"();
--> statement-breakpoint
CREATE TRIGGER "offers_breach_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."offers" FOR EACH ROW EXECUTE FUNCTION "monitoring"."offers_breach_roll_up"();
--> statement-breakpoint
CREATE TRIGGER "institutions_breach_flow_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."institutions" FOR EACH ROW EXECUTE FUNCTION "monitoring"."institutions_breach_flow_roll_up"();
--> statement-breakpoint
-- The roll-ups computed afresh from the rows, now with the arrivals by provider and the breaches.
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
  DELETE FROM "monitoring"."flow_months";
  INSERT INTO "monitoring"."flow_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, c.placed_bed_type, sum(c.arrived)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."flow_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5, 6;
  DELETE FROM "monitoring"."flow_place_months";
  INSERT INTO "monitoring"."flow_place_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.to_county, sum(c.arrived)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."flow_place_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM "monitoring"."breach_months";
  INSERT INTO "monitoring"."breach_months"
  SELECT c.month, c.institution_id, c.bed_type, c.kind, sum(c.breaches)
    FROM (SELECT x.* FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_breach_cell"(o) x
          UNION ALL
          SELECT y.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_breach_cell"(r) y) c
   GROUP BY 1, 2, 3, 4;
  DELETE FROM "monitoring"."breach_place_months";
  INSERT INTO "monitoring"."breach_place_months"
  SELECT p.month, p.county, p.city, p.bed_type, p.kind, sum(p.breaches)
    FROM (SELECT x.* FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_breach_cell"(o) x
          UNION ALL
          SELECT y.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_breach_cell"(r) y) c
   CROSS JOIN LATERAL "monitoring"."breach_place_cell"(c.month, c.institution_id, c.bed_type, c.kind, c.breaches) p
   GROUP BY 1, 2, 3, 4, 5;
$$;
