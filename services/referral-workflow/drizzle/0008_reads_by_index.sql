-- The audit trail of an object or an actor is read newest first: indexed by object and by actor with the log's order. A referral is found by its number, and the newest referrals are listed, by index.
DROP INDEX "referral"."audit_object_idx";--> statement-breakpoint
DROP INDEX "referral"."audit_actor_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_number_uq" ON "referral"."referrals" USING btree ("number");--> statement-breakpoint
CREATE INDEX "referrals_created_idx" ON "referral"."referrals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "referral"."audit_log" USING btree ("object_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "referral"."audit_log" USING btree ("actor","seq");
