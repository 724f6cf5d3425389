ALTER TABLE "monitoring"."referral_months" ADD COLUMN "ltci_authorised" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monitoring"."referral_months" ADD COLUMN "ltci_refused" bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- What one referral row adds to referral_months, now with its LTCI decision (the eligibility metric's counts).
CREATE OR REPLACE FUNCTION "monitoring"."referral_month_cell"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."referral_months" LANGUAGE sql STABLE AS $$
  SELECT "monitoring"."china_month"(r.started_at), coalesce(r.origin_county, ''), coalesce(r.origin_city, ''), coalesce(r.bed_type, ''),
         CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL THEN r.stage ELSE '' END,
         1::bigint,
         (CASE WHEN r.closed_at IS NOT NULL AND NOT r.follow_up_late THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NOT NULL AND r.follow_up_late THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.cancelled_at IS NOT NULL THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.closed_at IS NULL AND r.cancelled_at IS NULL AND r.urgent THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.ltci_decision = 'authorised' THEN 1 ELSE 0 END)::bigint,
         (CASE WHEN r.ltci_decision = 'refused' THEN 1 ELSE 0 END)::bigint
   WHERE r.started_at IS NOT NULL
$$;
--> statement-breakpoint
-- The trigger of referral_months, now also when the LTCI decision changes.
CREATE OR REPLACE FUNCTION "monitoring"."referrals_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF TG_OP <> 'UPDATE' OR (OLD.started_at, OLD.origin_county, OLD.origin_city, OLD.bed_type, OLD.stage, OLD.closed_at, OLD.cancelled_at, OLD.follow_up_late, OLD.urgent, OLD.ltci_decision)
      IS DISTINCT FROM (NEW.started_at, NEW.origin_county, NEW.origin_city, NEW.bed_type, NEW.stage, NEW.closed_at, NEW.cancelled_at, NEW.follow_up_late, NEW.urgent, NEW.ltci_decision) THEN
  INSERT INTO "monitoring"."referral_months" AS m
  SELECT c.month, c.county, c.city, c.bed_type, c.open_stage, sum(c.s * c.started), sum(c.s * c.closed_in_loop), sum(c.s * c.closed_late),
         sum(c.s * c.cancelled), sum(c.s * c.open), sum(c.s * c.open_urgent), sum(c.s * c.ltci_authorised), sum(c.s * c.ltci_refused)
    FROM (SELECT -1 AS s, x.* FROM "monitoring"."referral_month_cell"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1 AS s, y.* FROM "monitoring"."referral_month_cell"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, county, city, bed_type, open_stage) DO UPDATE SET
    started = m.started + excluded.started, closed_in_loop = m.closed_in_loop + excluded.closed_in_loop, closed_late = m.closed_late + excluded.closed_late,
    cancelled = m.cancelled + excluded.cancelled, open = m.open + excluded.open, open_urgent = m.open_urgent + excluded.open_urgent,
    ltci_authorised = m.ltci_authorised + excluded.ltci_authorised, ltci_refused = m.ltci_refused + excluded.ltci_refused;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The count roll-ups rebuilt from the rows, now with the LTCI decisions of referral_months.
CREATE OR REPLACE FUNCTION "monitoring"."rebuild_count_rollups"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "monitoring"."referral_months";
  INSERT INTO "monitoring"."referral_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.open_stage, sum(c.started), sum(c.closed_in_loop), sum(c.closed_late), sum(c.cancelled), sum(c.open), sum(c.open_urgent),
         sum(c.ltci_authorised), sum(c.ltci_refused)
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
--> statement-breakpoint
-- The cells of referrals already rolled up gain their LTCI decisions (only referral_months is
-- written: the other roll-ups are as they were).
UPDATE "monitoring"."referral_months" m
   SET ltci_authorised = c.ltci_authorised, ltci_refused = c.ltci_refused
  FROM (SELECT x.month, x.county, x.city, x.bed_type, x.open_stage, sum(x.ltci_authorised) AS ltci_authorised, sum(x.ltci_refused) AS ltci_refused
          FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_month_cell"(r) x
         WHERE r.ltci_decision IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5) c
 WHERE (m.month, m.county, m.city, m.bed_type, m.open_stage) = (c.month, c.county, c.city, c.bed_type, c.open_stage);
