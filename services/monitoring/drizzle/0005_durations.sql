CREATE TABLE "monitoring"."duration_months" (
	"measure" text NOT NULL,
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bucket" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "duration_months_measure_month_county_city_bucket_pk" PRIMARY KEY("measure","month","county","city","bucket")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."durations" (
	"referral_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"bed_type" text NOT NULL,
	"ms" bigint NOT NULL,
	"bucket" integer NOT NULL,
	CONSTRAINT "durations_referral_id_measure_pk" PRIMARY KEY("referral_id","measure")
);
--> statement-breakpoint
CREATE INDEX "duration_months_read_idx" ON "monitoring"."duration_months" USING btree ("measure","month","county","city","bucket","n");--> statement-breakpoint
CREATE INDEX "durations_started_idx" ON "monitoring"."durations" USING btree ("measure","started_at","bucket","county","city");--> statement-breakpoint
CREATE INDEX "durations_bucket_idx" ON "monitoring"."durations" USING btree ("measure","bucket","started_at","ms");--> statement-breakpoint
CREATE INDEX "durations_county_idx" ON "monitoring"."durations" USING btree ("measure","bucket","county","started_at","ms");--> statement-breakpoint
CREATE INDEX "durations_city_idx" ON "monitoring"."durations" USING btree ("measure","bucket","city","started_at","ms");--> statement-breakpoint
-- The bucket of a duration in milliseconds: 0 under one second, then i from the i-th threshold (one
-- second × 1.1^(i-1), rounded, up to 400 days) to the next. Thresholds are compared as integers, so
-- a longer duration is never in a lower bucket, which the exact lookup inside a bucket relies on.
CREATE FUNCTION "monitoring"."duration_bucket"("ms" bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT width_bucket("ms", '{1000,1100,1210,1331,1464,1611,1772,1949,2144,2358,2594,2853,3138,3452,3797,4177,4595,5054,5560,6116,6727,7400,8140,8954,9850,10835,11918,13110,14421,15863,17449,19194,21114,23225,25548,28102,30913,34004,37404,41145,45259,49785,54764,60240,66264,72890,80180,88197,97017,106719,117391,129130,142043,156247,171872,189059,207965,228762,251638,276801,304482,334930,368423,405265,445792,490371,539408,593349,652683,717952,789747,868722,955594,1051153,1156269,1271895,1399085,1538993,1692893,1862182,2048400,2253240,2478564,2726421,2999063,3298969,3628866,3991753,4390928,4830021,5313023,5844325,6428757,7071633,7778796,8556676,9412344,10353578,11388936,12527829,13780612,15158674,16674541,18341995,20176195,22193814,24413195,26854515,29539966,32493963,35743359,39317695,43249465,47574411,52331852,57565038,63321541,69653696,76619065,84280972,92709069,101979976,112177973,123395771,135735348,149308882,164239771,180663748,198730123,218603135,240463448,264509793,290960772,320056850,352062535,387268788,425995667,468595233,515454757,567000233,623700256,686070281,754677309,830145040,913159544,1004475499,1104923049,1215415354,1336956889,1470652578,1617717836,1779489619,1957438581,2153182439,2368500683,2605350752,2865885827,3152474410,3467721851,3814494036,4195943439,4615537783,5077091561,5584800717,6143280789,6757608868,7433369755,8176706730,8994377403,9893815144,10883196658,11971516324,13168667956,14485534752,15934088227,17527497050,19280246755,21208271431,23329098574,25662008431,28228209274,31051030201,34156133222}'::bigint[])
$$;
--> statement-breakpoint
-- What one referral row adds to durations: a row per measure it has, with the metrics' own
-- milliseconds (start to first answer, to arrival, to arrival when urgent, to the assessment).
CREATE FUNCTION "monitoring"."duration_rows"("r" "monitoring"."referrals") RETURNS SETOF "monitoring"."durations" LANGUAGE sql STABLE AS $$
  SELECT r.referral_id, v.measure, r.started_at, coalesce(r.origin_county, ''), coalesce(r.origin_city, ''), coalesce(r.bed_type, ''), x.ms, "monitoring"."duration_bucket"(x.ms)
    FROM (VALUES ('first-response', r.first_response_at), ('placement', r.arrived_at),
                 ('green-channel', CASE WHEN r.urgent THEN r.arrived_at END), ('assessment', r.assessed_at)) v(measure, at)
    CROSS JOIN LATERAL (SELECT (extract(epoch from (v.at - r.started_at)) * 1000)::bigint AS ms) x
   WHERE r.started_at IS NOT NULL AND v.at IS NOT NULL
$$;
--> statement-breakpoint
-- The referral's durations replaced and their cells moved (the old row's taken away, the new
-- row's added, cells in key order), in the writing transaction, only when a column they read has changed.
CREATE FUNCTION "monitoring"."referrals_duration_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.referral_id, OLD.started_at, OLD.first_response_at, OLD.arrived_at, OLD.assessed_at, OLD.urgent, OLD.origin_county, OLD.origin_city, OLD.bed_type)
      IS NOT DISTINCT FROM (NEW.referral_id, NEW.started_at, NEW.first_response_at, NEW.arrived_at, NEW.assessed_at, NEW.urgent, NEW.origin_county, NEW.origin_city, NEW.bed_type) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM "monitoring"."durations" WHERE referral_id = OLD.referral_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "monitoring"."durations" SELECT * FROM "monitoring"."duration_rows"(NEW);
  END IF;
  INSERT INTO "monitoring"."duration_months" AS m
  SELECT c.measure, c.month, c.county, c.city, c.bucket, sum(c.s)
    FROM (SELECT -1 AS s, x.measure, "monitoring"."china_month"(x.started_at) AS month, x.county, x.city, x.bucket FROM "monitoring"."duration_rows"(OLD) x WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1, y.measure, "monitoring"."china_month"(y.started_at), y.county, y.city, y.bucket FROM "monitoring"."duration_rows"(NEW) y WHERE TG_OP <> 'DELETE') c
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(c.s) <> 0
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (measure, month, county, city, bucket) DO UPDATE SET n = m.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_duration_roll_up" AFTER INSERT OR UPDATE OR DELETE ON "monitoring"."referrals" FOR EACH ROW EXECUTE FUNCTION "monitoring"."referrals_duration_roll_up"();
--> statement-breakpoint
-- The roll-ups of counts as before, now followed by the durations and their buckets.
ALTER FUNCTION "monitoring"."rebuild_rollups"() RENAME TO "rebuild_count_rollups";
--> statement-breakpoint
CREATE FUNCTION "monitoring"."rebuild_rollups"() RETURNS void LANGUAGE sql AS $$
  SELECT "monitoring"."rebuild_count_rollups"();
  DELETE FROM "monitoring"."durations";
  INSERT INTO "monitoring"."durations"
  SELECT d.* FROM "monitoring"."referrals" r CROSS JOIN LATERAL "monitoring"."duration_rows"(r) d;
  DELETE FROM "monitoring"."duration_months";
  INSERT INTO "monitoring"."duration_months"
  SELECT measure, "monitoring"."china_month"(started_at), county, city, bucket, count(*)
    FROM "monitoring"."durations"
   GROUP BY 1, 2, 3, 4, 5;
$$;
