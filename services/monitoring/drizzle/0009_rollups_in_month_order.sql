-- The roll-ups rebuilt from the rows are written month by month, as the projection writes them
-- while the months pass: the cells of a period then lie together on disk, and a quarter by
-- provider reads about a tenth of the pages it read when a rebuild wrote them in hash order.
CREATE OR REPLACE FUNCTION "monitoring"."rebuild_count_rollups"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "monitoring"."referral_months";
  INSERT INTO "monitoring"."referral_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.open_stage, sum(c.started), sum(c.closed_in_loop), sum(c.closed_late), sum(c.cancelled), sum(c.open), sum(c.open_urgent),
         sum(c.ltci_authorised), sum(c.ltci_refused)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
  DELETE FROM "monitoring"."arrival_months";
  INSERT INTO "monitoring"."arrival_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.origin_bed_type, sum(c.arrived), sum(c.readmitted)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."arrival_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
  DELETE FROM "monitoring"."offer_months";
  INSERT INTO "monitoring"."offer_months"
  SELECT c.month, c.institution_id, c.bed_type, c.answer, c.reason_code, sum(c.offers)
    FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_month_cell"(o) c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
  DELETE FROM "monitoring"."offer_place_months";
  INSERT INTO "monitoring"."offer_place_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.answer, c.reason_code, sum(c.offers)
    FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_place_cell"(o) c
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1;
  DELETE FROM "monitoring"."visit_months";
  INSERT INTO "monitoring"."visit_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, sum(c.planned), sum(c.done), sum(c.missed), sum(c.late)
    FROM "monitoring"."visits" v CROSS JOIN LATERAL "monitoring"."visit_month_cell"(v) c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
  DELETE FROM "monitoring"."flow_months";
  INSERT INTO "monitoring"."flow_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.institution_id, c.placed_bed_type, sum(c.arrived)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."flow_month_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1;
  DELETE FROM "monitoring"."flow_place_months";
  INSERT INTO "monitoring"."flow_place_months"
  SELECT c.month, c.county, c.city, c.bed_type, c.to_county, sum(c.arrived)
    FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."flow_place_cell"(r) c
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
  DELETE FROM "monitoring"."breach_months";
  INSERT INTO "monitoring"."breach_months"
  SELECT c.month, c.institution_id, c.bed_type, c.kind, sum(c.breaches)
    FROM (SELECT x.* FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_breach_cell"(o) x
          UNION ALL
          SELECT y.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_breach_cell"(r) y) c
   GROUP BY 1, 2, 3, 4
   ORDER BY 1;
  DELETE FROM "monitoring"."breach_place_months";
  INSERT INTO "monitoring"."breach_place_months"
  SELECT p.month, p.county, p.city, p.bed_type, p.kind, sum(p.breaches)
    FROM (SELECT x.* FROM "monitoring"."offers" o CROSS JOIN LATERAL "monitoring"."offer_breach_cell"(o) x
          UNION ALL
          SELECT y.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."referral_breach_cell"(r) y) c
   CROSS JOIN LATERAL "monitoring"."breach_place_cell"(c.month, c.institution_id, c.bed_type, c.kind, c.breaches) p
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "monitoring"."rebuild_rollups"() RETURNS void LANGUAGE sql AS $$
  SELECT "monitoring"."rebuild_count_rollups"();
  DELETE FROM "monitoring"."durations";
  INSERT INTO "monitoring"."durations"
  SELECT d.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."duration_rows"(r) d
   ORDER BY d.started_at;
  DELETE FROM "monitoring"."duration_months";
  INSERT INTO "monitoring"."duration_months"
  SELECT measure, "monitoring"."china_month"(started_at), county, city, bucket, count(*)
    FROM "monitoring"."durations"
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 2;
$$;
