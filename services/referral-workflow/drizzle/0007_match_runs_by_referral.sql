-- A referral's latest matching run is read by its id: an index instead of a scan of every run.
CREATE INDEX "match_runs_referral_idx" ON "referral"."match_runs" USING btree ("referral_id","seq");
